/*
 * guest_sched.c -- the guest of examples/08_scheduler.lua: a small program
 * written as if it blocked.  run(id, n) reads n numbers from the host
 * (env.read blocks until one is available), sleeps between them
 * (env.sleep), reports each running sum (env.report) and returns the
 * total.  The host makes read and sleep yield: the guest never knows.
 */
__attribute__((import_module("env"), import_name("read"))) int host_read(int id);
__attribute__((import_module("env"), import_name("sleep"))) void host_sleep(int ms);
__attribute__((import_module("env"), import_name("report"))) void report(int id, int sum);

__attribute__((export_name("run"))) int run(int id, int n) {
  int sum = 0;
  for (int i = 0; i < n; i++) {
    sum += host_read(id);
    report(id, sum);
    host_sleep(10 * (id + 1));
  }
  return sum;
}
