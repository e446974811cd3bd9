/*
 * guest_counter.c -- the guest of examples/06_host_data.lua: run(n) calls
 * the host function env.tick n times and returns what the last call
 * returned.
 */
__attribute__((import_module("env"), import_name("tick"))) int tick(void);

__attribute__((export_name("run"))) int run(int n) {
  int last = 0;
  for (int i = 0; i < n; i++) last = tick();
  return last;
}
