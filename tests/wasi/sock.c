/*
 * sock.c -- sock_recv, sock_send, sock_shutdown and sock_accept on a real
 * socket: the driver hands one end of a socketpair in as stdin (fd 0),
 * writes "ping" into the other end first, and expects "pong" back, then
 * end of stream.  Wasm only; the native build just says so.
 */
#ifdef __wasi__
#include "wasi_check.h"

int main(void) {
  __wasi_fdstat_t fs;
  EXPECT("fdstat socket", __wasi_fd_fdstat_get(0, &fs), 0);
  EXPECT("socket filetype", fs.fs_filetype, __WASI_FILETYPE_SOCKET_STREAM);
  char buf[16] = {0};
  __wasi_iovec_t iov = {(uint8_t *)buf, 2};
  __wasi_size_t n = 0;
  __wasi_roflags_t ro = 9;
  EXPECT("recv peek", __wasi_sock_recv(0, &iov, 1, __WASI_RIFLAGS_RECV_PEEK, &n, &ro), 0);
  EXPECT("peeked 2", n, 2);
  EXPECT("roflags", ro, 0);
  iov.buf_len = 4;
  EXPECT("recv waitall", __wasi_sock_recv(0, &iov, 1, __WASI_RIFLAGS_RECV_WAITALL, &n, &ro), 0);
  EXPECT("received 4", n, 4);
  EXPECT("ping", memcmp(buf, "ping", 4), 0);
  EXPECT("recv bad flags", __wasi_sock_recv(0, &iov, 1, 8, &n, &ro), __WASI_ERRNO_INVAL);
  __wasi_ciovec_t out = {(const uint8_t *)"pong", 4};
  EXPECT("send", __wasi_sock_send(0, &out, 1, 0, &n), 0);
  EXPECT("sent 4", n, 4);
  EXPECT("send bad flags", __wasi_sock_send(0, &out, 1, 1, &n), __WASI_ERRNO_INVAL);
  EXPECT("shutdown bad how", __wasi_sock_shutdown(0, 0), __WASI_ERRNO_INVAL);
  EXPECT("shutdown wr", __wasi_sock_shutdown(0, __WASI_SDFLAGS_WR), 0);
  EXPECT("send after shutdown", __wasi_sock_send(0, &out, 1, 0, &n), __WASI_ERRNO_PIPE);
  __wasi_fd_t fd;
  EXPECT("accept on a connected socket", __wasi_sock_accept(0, 0, &fd), __WASI_ERRNO_INVAL);
  EXPECT("accept bad flags", __wasi_sock_accept(0, 2, &fd), __WASI_ERRNO_INVAL);
  EXPECT("fd_write works too", write_str(0, "x"), __WASI_ERRNO_PIPE);
  return finish();
}
#else
#include <stdio.h>
int main(void) {
  printf("native: raw WASI only\n");
  return 0;
}
#endif
