/*
 * guest_fib.c -- the guest of examples/05_fibonacci.lua.
 */
__attribute__((export_name("fib"))) int fib(int n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

__attribute__((export_name("fib64"))) long long fib64(int n) {
  long long a = 0, b = 1;
  for (int i = 0; i < n; i++) {
    long long t = a + b;
    a = b;
    b = t;
  }
  return a;
}
