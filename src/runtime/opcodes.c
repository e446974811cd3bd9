/*
 * opcodes.c -- the opcode facts of opcodes.h as data: one mw_opinfo per
 * wasm instruction, and O(1) maps from the binary encoding to mw_opcode.
 *
 * Everything here is generated from the MW_OPCODES X-macro, so adding a row
 * there is the only edit a new instruction needs.
 */
#include "internal.h"

const mw_opinfo mw_opinfo_table[MW_OP__WASM_COUNT] = {
#define MW_X_INFO(NAME, text, prefix, code, kind, imm, t1, t2, tr, memsize)  \
  {text, prefix, code, MW_KIND_##kind, MW_IMM_##imm, MW_T_##t1, MW_T_##t2, \
   MW_T_##tr, memsize},
    MW_OPCODES(MW_X_INFO)
#undef MW_X_INFO
};

/* Sub-opcodes after the 0xFC prefix that we know are all below this. */
#define MW_FC_SPAN 32

/* Both maps live in one table: one-byte opcodes at [0, 256), 0xFC
 * sub-opcodes at [256, 256 + MW_FC_SPAN).  Entries hold mw_opcode + 1 so
 * that the zero of an unlisted slot means "unknown". */
#define MW_OPSLOT(prefix, code) ((prefix) ? 256 + (code) : (code))

_Static_assert(MW_OP__WASM_COUNT < 255, "opcode index must fit a byte");

static const unsigned char opcode_slots[256 + MW_FC_SPAN] = {
#define MW_X_SLOT(NAME, text, prefix, code, kind, imm, t1, t2, tr, memsize) \
  [MW_OPSLOT(prefix, code)] = MW_OP_##NAME + 1,
    MW_OPCODES(MW_X_SLOT)
#undef MW_X_SLOT
};

int mw_opcode_from_byte(unsigned byte) {
  if (byte >= 256) return -1;
  return (int)opcode_slots[byte] - 1;
}

int mw_opcode_from_fc(uint32_t sub) {
  if (sub >= MW_FC_SPAN) return -1;
  return (int)opcode_slots[256 + sub] - 1;
}

/* Cost tables (mw_config.cost_table) are indexed by mw_opcode. */
_Static_assert(MW_OP__WASM_COUNT <= MW_COST_TABLE_SIZE, "cost table too small");

int mw_instruction_index(const char *name) {
  if (!name) return -1;
  for (int i = 0; i < MW_OP__WASM_COUNT; i++)
    if (strcmp(mw_opinfo_table[i].text, name) == 0) return i;
  return -1;
}

const char *mw_instruction_name(int index) {
  if (index < 0 || index >= MW_OP__WASM_COUNT) return NULL;
  return mw_opinfo_table[index].text;
}
