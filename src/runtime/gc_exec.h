/*
 * gc_exec.h -- gc_exec.c: the GC instructions' out-of-line work, and the
 * per-module object layouts.  Internal; needs internal.h first.
 */
#ifndef MW_GC_EXEC_H
#define MW_GC_EXEC_H

/* What a value type (or packed storage type) is stored as (gc.h
 * mw_gc_storage), concrete types read in m; -1 for none. */
int mwgc_storage_of(const mw_module *m, mw_valtype t);
/* m->gc_types: a layout per struct and array type (NULL for functions).
 * Made once (validation); freed with the module. */
mw_error *mwgc_module_types(mw_module *m);
void mwgc_module_types_free(mw_module *m);

/* One field or element: to a result slot (ext: 0, 1 get_s, 2 get_u), from
 * an operand slot. */
void mwgc_load(mw_slot *dst, const unsigned char *p, uint8_t st, int ext);
void mwgc_store(unsigned char *p, const mw_slot *src, uint8_t st);

/* Does the non-null reference r match heap type ht (inst's indices)? */
bool mwx_gc_ref_matches(const mw_module *m, void *r, uint32_t ht);

/* The instructions (exec_gc.h has their layouts): NULL, or the trap. */
typedef const char *mwx_gc_fn(mw_store *s, mw_instance *inst, mw_slot *fp,
                              const mw_word *pc);
mwx_gc_fn mwx_gc_struct_new, mwx_gc_struct_new_default, mwx_gc_array_new,
    mwx_gc_array_new_default, mwx_gc_array_new_fixed, mwx_gc_array_new_data,
    mwx_gc_array_new_elem, mwx_gc_array_fill, mwx_gc_array_copy,
    mwx_gc_array_init_data, mwx_gc_array_init_elem, mwx_gc_any_convert_extern,
    mwx_gc_extern_convert_any;

/* instance.c: one GC instruction of a constant expression on its value
 * stack; NULL or the trap message. */
const char *mwgc_eval_const(mw_store *s, const mw_module *m, const mw_cinstr *in,
                            mw_slot *st, uint32_t *h);

#endif
