/*
 * messages.h -- every error message the runtime produces, in the wording of
 * the WebAssembly spec and its reference interpreter, so the .wast runner
 * can compare them (the spec's text must be a prefix of ours).
 */
#ifndef MW_MESSAGES_H
#define MW_MESSAGES_H

/* malformed (decoding) */
#define MW_MSG_UNEXPECTED_END "unexpected end"
#define MW_MSG_UNEXPECTED_END_SECTION "unexpected end of section or function"
#define MW_MSG_LENGTH_OUT_OF_BOUNDS "length out of bounds"
#define MW_MSG_MAGIC "magic header not detected"
#define MW_MSG_VERSION "unknown binary version"
#define MW_MSG_INT_TOO_LONG "integer representation too long"
#define MW_MSG_INT_TOO_LARGE "integer too large"
#define MW_MSG_SECTION_SIZE "section size mismatch"
#define MW_MSG_SECTION_ID "malformed section id"
#define MW_MSG_JUNK_AFTER "unexpected content after last section"
#define MW_MSG_FUNC_CODE_LENGTHS "function and code section have inconsistent lengths"
#define MW_MSG_DATA_COUNT_LENGTHS "data count and data section have inconsistent lengths"
#define MW_MSG_DATA_COUNT_REQUIRED "data count section required"
#define MW_MSG_TOO_MANY_LOCALS "too many locals"
#define MW_MSG_UTF8 "malformed UTF-8 encoding"
#define MW_MSG_IMPORT_KIND "malformed import kind"
#define MW_MSG_EXPORT_KIND "malformed export kind"
#define MW_MSG_MUTABILITY "malformed mutability"
#define MW_MSG_REFTYPE "malformed reference type"
#define MW_MSG_VALTYPE "malformed value type"
#define MW_MSG_FUNCTYPE "malformed function type"
#define MW_MSG_LIMITS_FLAGS "integer too large"
#define MW_MSG_LIMITS_FLAGS_3 "malformed limits flags" /* Wasm 3.0 */
#define MW_MSG_ZERO_BYTE "zero byte expected"
#define MW_MSG_MEMOP_FLAGS "malformed memop flags" /* Wasm 3.0 */
#define MW_MSG_ILLEGAL_OPCODE "illegal opcode"
#define MW_MSG_ELEM_KIND "malformed elements segment kind"
#define MW_MSG_DATA_KIND "malformed data segment kind"
#define MW_MSG_SECTION_ORDER "unexpected content after last section"
#define MW_MSG_DUP_SECTION "unexpected content after last section"

/* Wasm 1.0's wording of three messages that 2.0 renamed.  A module decoded
 * with neither bulk memory nor reference types is a 1.0-based module (the
 * base the early 3.0 proposals, memory64 among them, forked from), and its
 * errors are worded as that edition's reference interpreter words them. */
#define MW_MSG_ZERO_FLAG_1_0 "zero flag expected"
#define MW_MSG_JUNK_AFTER_1_0 "junk after last section"
#define MW_MSG_LENGTH_1_0 "unexpected end of section or function"

/* invalid (validation) */
#define MW_MSG_TYPE_MISMATCH "type mismatch"
#define MW_MSG_UNKNOWN_LOCAL "unknown local"
#define MW_MSG_UNKNOWN_GLOBAL "unknown global"
#define MW_MSG_UNKNOWN_FUNC "unknown function"
#define MW_MSG_UNKNOWN_TABLE "unknown table"
#define MW_MSG_UNKNOWN_MEMORY "unknown memory"
#define MW_MSG_UNKNOWN_TYPE "unknown type"
#define MW_MSG_UNKNOWN_LABEL "unknown label"
#define MW_MSG_UNKNOWN_ELEM "unknown elem segment"
#define MW_MSG_UNKNOWN_DATA "unknown data segment"
#define MW_MSG_GLOBAL_IMMUTABLE "global is immutable"
#define MW_MSG_IMMUTABLE_GLOBAL "immutable global" /* Wasm 3.0 */
#define MW_MSG_CONST_REQUIRED "constant expression required"
#define MW_MSG_ALIGNMENT "alignment must not be larger than natural"
#define MW_MSG_OFFSET_RANGE "offset out of range" /* memory64 */
#define MW_MSG_INVALID_LANE "invalid lane index"
#define MW_MSG_DUP_EXPORT "duplicate export name"
#define MW_MSG_MULTIPLE_MEMORIES "multiple memories"
#define MW_MSG_MULTIPLE_TABLES "multiple tables"
#define MW_MSG_LIMITS_ORDER "size minimum must not be greater than maximum"
#define MW_MSG_MEMORY_SIZE "memory size must be at most 65536 pages (4GiB)"
#define MW_MSG_MEMORY64_SIZE "memory size must be at most 2^48 pages (256TiB)"
#define MW_MSG_TABLE_SIZE "table size must be at most 2^32-1"
#define MW_MSG_START "start function"
#define MW_MSG_UNDECLARED_REF "undeclared function reference"
#define MW_MSG_INVALID_RESULT_ARITY "invalid result arity"
#define MW_MSG_UNSUPPORTED "unsupported feature"
#define MW_MSG_TOO_MANY_FUNC_VALUES "too many parameters or results (implementation limit)"

/* unlinkable */
#define MW_MSG_UNKNOWN_IMPORT "unknown import"
#define MW_MSG_INCOMPATIBLE_IMPORT "incompatible import type"

/* traps */
#define MW_MSG_UNREACHABLE "unreachable"
#define MW_MSG_OOB_MEMORY "out of bounds memory access"
#define MW_MSG_OOB_TABLE "out of bounds table access"
#define MW_MSG_UNDEFINED_ELEMENT "undefined element"
#define MW_MSG_UNINITIALIZED_ELEMENT "uninitialized element"
#define MW_MSG_INDIRECT_MISMATCH "indirect call type mismatch"
#define MW_MSG_NULL_FUNC_REF "null function reference"
#define MW_MSG_NULL_REF "null reference"
#define MW_MSG_UNINITIALIZED_LOCAL "uninitialized local"
#define MW_MSG_DIV_ZERO "integer divide by zero"
#define MW_MSG_INT_OVERFLOW "integer overflow"
#define MW_MSG_INVALID_CONVERSION "invalid conversion to integer"

/* implementation limits (mw_conf.h), reported as invalid */
#define MW_MSG_LIMIT_BLOCKS "implementation limit: blocks nested too deep"
#define MW_MSG_LIMIT_STACK "implementation limit: operand stack too high"
#define MW_MSG_LIMIT_CODE "implementation limit: function too large"

/* exhaustion */
#define MW_MSG_CALL_STACK "call stack exhausted"
/* The same exhaustion, when the value stack (config value_stack_slots)
 * runs out before the call depth does: says which limit to raise. */
#define MW_MSG_VALUE_STACK "call stack exhausted (out of value stack slots)"
#define MW_MSG_COST_LIMIT "cost limit exceeded"
#define MW_MSG_INTERRUPTED "interrupted"
#define MW_MSG_DEADLINE "deadline exceeded"
#define MW_MSG_FUEL "all fuel consumed"

/* usage and host */
#define MW_MSG_OOM "out of memory"

/* uninstantiable: a definition larger than the store's configured limits
 * (spec 7.4 lets an implementation bound memory and table sizes) */
#define MW_MSG_MEMORY_LIMIT "memory size exceeds the configured limit"
#define MW_MSG_TABLE_LIMIT "table size exceeds the configured limit"

/* malformed, appended by the decoder */
#define MW_MSG_END_EXPECTED "END opcode expected"
#define MW_MSG_ELEMKIND "malformed element kind"

/* internal: the interpreter met an instruction compile.c never emits */
#define MW_MSG_BAD_CODE "invalid compiled code"

/* GC traps (Wasm 3.0), as the reference interpreter words them */
#define MW_MSG_NULL_STRUCT "null structure reference"
#define MW_MSG_NULL_ARRAY "null array reference"
#define MW_MSG_NULL_I31 "null i31 reference"
#define MW_MSG_OOB_ARRAY "out of bounds array access"
#define MW_MSG_CAST_FAILURE "cast failure"
#define MW_MSG_GC_OOM "out of memory" /* the GC heap cannot grow */

/* Exception handling (exception.c, compile_eh.h, exec_eh.h). */
#define MW_MSG_UNCAUGHT_EXCEPTION "uncaught exception"
#define MW_MSG_UNKNOWN_TAG "unknown tag"
#define MW_MSG_TAG_RESULTS "non-empty tag result type"
#define MW_MSG_NULL_EXNREF "null exception reference"
#define MW_MSG_RETHROW_LABEL "invalid rethrow label"
#define MW_MSG_TAG_ATTRIBUTE "malformed tag attribute"

#endif
