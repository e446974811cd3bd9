/*
 * gc_api.c -- the public C API of GC references (moonwasm.h, "GC
 * references"): thin wrappers over gc.c for hosts.
 */
#include "internal.h"

unsigned mw_functype_ref_top(const mw_functype *ft, mw_valtype t) {
  if (!mw_valtype_is_reference(t)) return 0;
  return mwt_heap_top(ft ? ft->module : NULL, MW_VT_HEAP(t));
}

bool mw_ref_matches(const mw_functype *ft, mw_valtype t, void *ref) {
  if (!ref) return MW_VT_NULLABLE(t);
  unsigned top = mw_functype_ref_top(ft, t);
  if (top == MW_HT_EXTERN) return MW_VT_HEAP(t) == MW_HT_EXTERN; /* noextern: null only */
  return mwx_gc_ref_matches(ft ? ft->module : NULL, ref, MW_VT_HEAP(t));
}

mw_ref_kind mw_ref_kind_of(const void *ref) {
  if (!ref) return MW_REF_NULL;
  if (MWGC_IS_I31(ref)) return MW_REF_I31;
  switch (((const mw_gc_obj *)ref)->kind) {
  case MW_GCK_STRUCT: return MW_REF_STRUCT;
  case MW_GCK_ARRAY: return MW_REF_ARRAY;
  case MW_GCK_HOSTBOX: return MW_REF_HOST;
  default: return MW_REF_OTHER;
  }
}

int32_t mw_ref_i31_value(const void *ref) {
  return MWGC_IS_I31(ref) ? mwgc_i31_get_s(ref) : 0;
}

void *mw_ref_host_value(const void *ref) {
  if (!MWGC_IS_OBJ(ref) || ((const mw_gc_obj *)ref)->kind != MW_GCK_HOSTBOX) return NULL;
  void *v;
  memcpy(&v, MWGC_PAYLOAD(ref), sizeof v);
  return v;
}

void *mw_ref_i31(int32_t v) { return mwgc_i31_new((uint32_t)v); }

mw_error *mw_ref_internalize(mw_store *s, void *ext, void **out) {
  return mwgc_internalize(s, ext, out, NULL) ? NULL : mw_error_oom();
}

mw_error *mw_ref_externalize(mw_store *s, void *any, void **out) {
  return mwgc_externalize(s, any, out, NULL) ? NULL : mw_error_oom();
}

bool mw_ref_is_externalized(mw_store *s, const void *ext) {
  return mwgc_is_externalized(s, ext);
}

bool mw_ref_hold(mw_store *s, void *ref) { return mwgc_hold(s, ref); }

void mw_ref_release(mw_store *s, void *ref) { mwgc_release(s, ref); }

void mw_store_gc_pause(mw_store *s, bool pause) { mwgc_inhibit(s, pause ? 1 : -1); }

bool mw_store_gc_collect(mw_store *s) { return mwgc_collect(s, NULL); }

void mw_store_gc_info(mw_store *s, mw_gc_info *out) {
  mw_gc_stats st;
  mwgc_stats(s, &st);
  out->collections = st.collections;
  out->objects_allocated = st.objects_allocated;
  out->bytes_allocated = st.bytes_allocated;
  out->objects_freed = st.objects_freed;
  out->bytes_freed = st.bytes_freed;
  out->live_objects = st.live_objects;
  out->live_bytes = st.live_bytes;
}
