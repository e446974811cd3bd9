/*
 * opcodes.c -- the opcode facts of opcodes.h as data: one mw_opinfo per
 * wasm instruction, O(1) maps from the binary encoding to mw_opcode, and a
 * hash from the text name to mw_opcode.
 *
 * Everything here is generated from the MW_OPCODES X-macro, so adding a row
 * there is the only edit a new instruction needs.
 */
#include <stdatomic.h>

#include "internal.h"

const mw_opinfo mw_opinfo_table[MW_OP__WASM_COUNT] = {
#define MW_X_INFO(NAME, text, prefix, code, kind, imm, t1, t2, tr, memsize, feature) \
  {text, code, prefix, MW_KIND_##kind, MW_IMM_##imm, MW_T_##t1, MW_T_##t2,         \
   MW_T_##tr, memsize, MW_FEAT_##feature},
    MW_OPCODES(MW_X_INFO)
#undef MW_X_INFO
};

/* ---------------------------------------------------------------- binary */

/* Sub-opcodes after each prefix are below these spans (a compile error
 * says so if a row outgrows its span: the designated index would be out
 * of the array). */
#define MW_FB_SPAN 32
#define MW_FC_SPAN 32
#define MW_FD_SPAN 0x114

/* One table for all four maps: one-byte opcodes first, then each prefix's
 * sub-opcodes.  Entries hold mw_opcode + 1, so that the zero of an
 * unlisted slot means "unknown". */
#define MW_FB_BASE 256
#define MW_FC_BASE (MW_FB_BASE + MW_FB_SPAN)
#define MW_FD_BASE (MW_FC_BASE + MW_FC_SPAN)
#define MW_SLOTS (MW_FD_BASE + MW_FD_SPAN)
#define MW_OPSLOT(prefix, code)                                       \
  ((prefix) == 0xFB ? MW_FB_BASE + (code)                             \
   : (prefix) == 0xFC ? MW_FC_BASE + (code)                           \
   : (prefix) == 0xFD ? MW_FD_BASE + (code) : (code))

_Static_assert(MW_OP__WASM_COUNT < UINT16_MAX, "opcode index must fit 16 bits");

const uint16_t mw_opcode_slots[MW_SLOTS] = {
#define MW_X_SLOT(NAME, text, prefix, code, ...) [MW_OPSLOT(prefix, code)] = MW_OP_##NAME + 1,
    MW_OPCODES(MW_X_SLOT)
#undef MW_X_SLOT
};

int mw_opcode_from_prefixed(unsigned prefix, uint32_t sub) {
  uint32_t base, span;
  switch (prefix) {
  case 0xFB: base = MW_FB_BASE, span = MW_FB_SPAN; break;
  case 0xFC: base = MW_FC_BASE, span = MW_FC_SPAN; break;
  case 0xFD: base = MW_FD_BASE, span = MW_FD_SPAN; break;
  default: return -1;
  }
  if (sub >= span) return -1;
  return (int)mw_opcode_slots[base + sub] - 1;
}


/* ---------------------------------------------------------------- text */

/* Open addressing over a power-of-two table at most half full.  The C
 * preprocessor cannot hash strings, so the table is built on first use.
 * Builders may race (several threads, one store each): every slot is an
 * atomic that only ever goes from empty to an opcode, each builder inserts
 * the same names in the same order with the same probe sequences, and an
 * insertion that finds its name already present stops there -- so racing
 * builders converge on one table, and a reader that sees `text_ready`
 * sees it complete. */
#define MW_TEXT_SLOTS 2048
_Static_assert(MW_OP__WASM_COUNT * 2 <= MW_TEXT_SLOTS, "text hash too full");

static _Atomic uint16_t text_slots[MW_TEXT_SLOTS]; /* mw_opcode + 1 */
static atomic_bool text_ready;

static uint32_t text_hash(const char *s, size_t len) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static bool text_is(int op, const char *s, size_t len) {
  const char *t = mw_opinfo_table[op].text;
  return strncmp(t, s, len) == 0 && t[len] == '\0';
}

static void build_text_slots(void) {
  for (int op = 0; op < MW_OP__WASM_COUNT; op++) {
    const char *t = mw_opinfo_table[op].text;
    size_t len = strlen(t);
    uint32_t i = text_hash(t, len) & (MW_TEXT_SLOTS - 1);
    for (;; i = (i + 1) & (MW_TEXT_SLOTS - 1)) {
      uint16_t want = 0;
      if (atomic_compare_exchange_strong(&text_slots[i], &want, (uint16_t)(op + 1)))
        break;
      if (text_is(want - 1, t, len)) break; /* the name is in (a shared text) */
    }
  }
  atomic_store(&text_ready, true);
}

int mw_opcode_from_text(const char *name, size_t len) {
  if (!name) return -1;
  if (!atomic_load(&text_ready)) build_text_slots();
  uint32_t i = text_hash(name, len) & (MW_TEXT_SLOTS - 1);
  for (;; i = (i + 1) & (MW_TEXT_SLOTS - 1)) {
    int op = (int)atomic_load_explicit(&text_slots[i], memory_order_relaxed) - 1;
    if (op < 0) return -1;
    if (text_is(op, name, len)) return op;
  }
}

/* ---------------------------------------------------------------- features */

const char *mw_feature_name(unsigned feature) {
  switch ((mw_op_feature)feature) {
  case MW_FEAT_CORE: return "Wasm 2.0";
  case MW_FEAT_SIMD: return "SIMD";
  case MW_FEAT_RELAXED_SIMD: return "relaxed SIMD";
  case MW_FEAT_TAIL_CALL: return "tail calls";
  case MW_FEAT_FUNC_REFS: return "typed function references";
  case MW_FEAT_GC: return "garbage collection";
  case MW_FEAT_EXCEPTIONS: return "exception handling";
  case MW_FEAT_LEGACY_EXCEPTIONS: return "legacy exception handling";
  }
  return "?";
}

/* ---------------------------------------------------------------- cost tables */

/* Cost tables (mw_config.cost_table) are indexed by mw_opcode. */
_Static_assert(MW_OP__WASM_COUNT <= MW_COST_TABLE_SIZE, "cost table too small");

int mw_instruction_index(const char *name) {
  if (!name) return -1;
  return mw_opcode_from_text(name, strlen(name));
}

const char *mw_instruction_name(int index) {
  if (index < 0 || index >= MW_OP__WASM_COUNT) return NULL;
  return mw_opinfo_table[index].text;
}
