/*
 * pty_run.c -- run a command on a pseudo-terminal, type Ctrl-C into it
 * once its output contains MARKER, and report what it printed and how it
 * ended.  For the CLI specs (tests/lua/81_cli_host_spec.lua): Ctrl-C is
 * then delivered by the terminal's line discipline, as for a user.
 *
 *   pty_run MARKER COMMAND [ARG...]
 *
 * Prints the command's output, then a last line "status N" (its exit
 * status) or "signal N" (the signal that killed it).  Exit status 0, or 2
 * on a usage or system error.  Gives up (kills the command) after 30 s.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: pty_run MARKER COMMAND [ARG...]\n");
    return 2;
  }
  const char *marker = argv[1];
  int master;
  pid_t pid = forkpty(&master, NULL, NULL, NULL);
  if (pid < 0) {
    perror("pty_run: forkpty");
    return 2;
  }
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    perror("pty_run: exec");
    _exit(127);
  }
  static char out[1 << 16];
  size_t len = 0;
  int sent = 0;
  time_t start = time(NULL);
  for (;;) {
    struct pollfd p = {master, POLLIN, 0};
    int r = poll(&p, 1, 100);
    if (r > 0) {
      ssize_t n = read(master, out + len, sizeof out - 1 - len);
      if (n <= 0) break; /* EIO: the command closed the terminal */
      len += (size_t)n;
      out[len] = '\0';
    }
    if (!sent && strstr(out, marker)) {
      char ctrl_c = 3; /* VINTR: the line discipline sends SIGINT */
      if (write(master, &ctrl_c, 1) != 1) break;
      sent = 1;
    }
    if (time(NULL) - start > 30) {
      kill(pid, SIGKILL);
      break;
    }
    if (r < 0 && errno != EINTR) break;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  fwrite(out, 1, len, stdout);
  if (WIFEXITED(status))
    printf("\nstatus %d\n", WEXITSTATUS(status));
  else
    printf("\nsignal %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  return 0;
}
