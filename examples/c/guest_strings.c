/*
 * guest_strings.c -- the guest of examples/04_strings.lua: strings cross
 * the boundary as (pointer, length) pairs in linear memory.
 *
 *   greet()            hands the host a string: env.print(ptr, len)
 *   alloc(n)           a bump allocator the host uses to place its input
 *   shout(ptr, len)    returns a new string: the input upper-cased plus
 *                      "!" (its length is len + 1)
 */
__attribute__((import_module("env"), import_name("print")))
void host_print(const char *s, int len);

static unsigned char heap[8192];
static unsigned heap_top;

__attribute__((export_name("alloc"))) char *alloc(int n) {
  unsigned size = ((unsigned)n + 7u) & ~7u;
  if (n < 0 || size > sizeof heap - heap_top) return 0;
  char *p = (char *)&heap[heap_top];
  heap_top += size;
  return p;
}

__attribute__((export_name("reset"))) void reset(void) { heap_top = 0; }

__attribute__((export_name("greet"))) void greet(void) {
  static const char msg[] = "Hello from C!";
  host_print(msg, (int)sizeof msg - 1);
}

__attribute__((export_name("shout"))) char *shout(const char *s, int len) {
  char *out = alloc(len + 1);
  if (!out) return 0;
  for (int i = 0; i < len; i++) {
    char c = s[i];
    out[i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
  }
  out[len] = '!';
  return out;
}
