/*
 * guest_calc.c -- the guest of examples/03_host_memory.lua.
 *
 * It imports its memory from the host (as env.__linear_memory, see the
 * Makefile) and a host function `read(pointer, offset)` that returns a
 * byte of data the host placed in that memory.  calc(pointer, input)
 * adds the byte at pointer + 2 to the low byte of input.
 */
__attribute__((import_module("env"), import_name("read")))
int host_read(long long pointer, unsigned char offset);

__attribute__((export_name("calc"))) int calc(long long pointer,
                                              unsigned char input) {
  return input + host_read(pointer, 2);
}

/* The guest can also read the shared memory itself. */
__attribute__((export_name("peek"))) int peek(const unsigned char *p) {
  return *p;
}
