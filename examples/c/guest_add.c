/*
 * guest_add.c -- the guest of examples/01_host_function.lua.
 *
 * `add` is only declared: linked with --allow-undefined, it becomes the
 * import env.add, which the Lua host provides.
 */
extern int add(int a, int b);

__attribute__((export_name("run"))) int run(void) { return add(1, 2); }
