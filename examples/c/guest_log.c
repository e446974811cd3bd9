/*
 * guest_log.c -- the guest of examples/02_logging.lua: exports `add` and
 * logs each sum through the host function env.hostLogUint32.
 */
__attribute__((import_module("env"), import_name("hostLogUint32")))
void host_log_uint32(unsigned value);

__attribute__((export_name("add"))) unsigned add(unsigned a, unsigned b) {
  unsigned sum = a + b;
  host_log_uint32(sum);
  return sum;
}
