/*
 * files.c -- file system basics through libc: create, write, read, seek,
 * append, truncate, pread/pwrite, stat, readdir, rename, link, symlink,
 * unlink, mkdir, rmdir.  Built for wasm32-wasi and natively; both runs must
 * print the same thing.  argv[1] is the directory to work in (the native
 * run gets a host temp dir, the wasm run its preopen's guest path).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char base[1024];

static const char *at(const char *name) {
  static char buf[2][2048];
  static int which;
  which ^= 1;
  snprintf(buf[which], sizeof buf[which], "%s/%s", base, name);
  return buf[which];
}

static void show(const char *what, int rc) {
  if (rc < 0)
    printf("%s: error %s\n", what, strerror(errno));
  else
    printf("%s: %d\n", what, rc);
}

static void cat(const char *name) {
  char buf[256];
  int fd = open(at(name), O_RDONLY);
  if (fd < 0) {
    printf("cat %s: %s\n", name, strerror(errno));
    return;
  }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  buf[n < 0 ? 0 : n] = '\0';
  printf("cat %s: [%s] (%zd)\n", name, buf, n);
  close(fd);
}

static int cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Entries sorted: readdir's order is the file system's. */
static void list(const char *dir) {
  char *names[64];
  int n = 0;
  DIR *d = opendir(at(dir));
  if (!d) {
    printf("ls %s: %s\n", dir, strerror(errno));
    return;
  }
  struct dirent *de;
  while ((de = readdir(d)) && n < 64) {
    char line[300];
    const char *t = de->d_type == DT_DIR ? "dir" : de->d_type == DT_REG ? "file"
                    : de->d_type == DT_LNK ? "link" : "other";
    snprintf(line, sizeof line, "%s(%s)", de->d_name, t);
    names[n++] = strdup(line);
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof names[0], cmp);
  printf("ls %s:", dir);
  for (int i = 0; i < n; i++) {
    printf(" %s", names[i]);
    free(names[i]);
  }
  printf("\n");
}

static void file_ops(void) {
  int fd = open(at("a.txt"), O_CREAT | O_RDWR | O_TRUNC, 0644);
  show("open a.txt", fd < 0 ? -1 : 0);
  show("write", (int)write(fd, "hello world", 11));
  show("lseek set 6", (int)lseek(fd, 6, SEEK_SET));
  char buf[32] = {0};
  show("read", (int)read(fd, buf, 5));
  printf("got [%s]\n", buf);
  show("lseek cur", (int)lseek(fd, 0, SEEK_CUR));
  show("lseek end -5", (int)lseek(fd, -5, SEEK_END));
  show("write WORLD", (int)write(fd, "WORLD", 5));
  show("pwrite", (int)pwrite(fd, "HELLO", 5, 0));
  memset(buf, 0, sizeof buf);
  show("pread", (int)pread(fd, buf, 8, 3));
  printf("got [%s]\n", buf);
  show("lseek after pread", (int)lseek(fd, 0, SEEK_CUR));
  show("ftruncate 8", ftruncate(fd, 8));
  struct stat st;
  show("fstat", fstat(fd, &st));
  printf("size %lld reg %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
  show("fsync", fsync(fd));
  show("lseek bad whence", (int)lseek(fd, 0, 42));
  show("lseek negative", (int)lseek(fd, -100, SEEK_SET));
  close(fd);
  cat("a.txt");

  fd = open(at("a.txt"), O_WRONLY | O_APPEND);
  show("open append", fd < 0 ? -1 : 0);
  show("lseek 0", (int)lseek(fd, 0, SEEK_SET));
  show("append", (int)write(fd, "++", 2));
  close(fd);
  cat("a.txt");

  FILE *f = fopen(at("b.txt"), "w");
  fprintf(f, "line %d\nline %d\n", 1, 2);
  fclose(f);
  f = fopen(at("b.txt"), "r");
  char line[64];
  while (fgets(line, sizeof line, f)) printf("fgets: %s", line);
  fclose(f);

  show("open missing", open(at("missing.txt"), O_RDONLY));
  show("open excl existing", open(at("a.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644));
  show("open dir for write", open(at("."), O_WRONLY));
  show("open file as dir", open(at("a.txt"), O_RDONLY | O_DIRECTORY));
  show("open a.txt/x", open(at("a.txt/x"), O_RDONLY));
}

static void dir_ops(void) {
  show("mkdir d", mkdir(at("d"), 0755));
  show("mkdir d again", mkdir(at("d"), 0755));
  show("mkdir d/e", mkdir(at("d/e"), 0755));
  int fd = open(at("d/e/f.txt"), O_CREAT | O_WRONLY, 0644);
  show("write f", (int)write(fd, "f", 1));
  close(fd);
  list("d");
  list("d/e");
  show("rmdir non-empty", rmdir(at("d/e")));
  show("rename f", rename(at("d/e/f.txt"), at("d/g.txt")));
  show("rename missing", rename(at("d/nope"), at("d/nope2")));
  show("rmdir d/e", rmdir(at("d/e")));
  show("rmdir file", rmdir(at("d/g.txt")));
  show("unlink dir", unlink(at("d")));
  show("link", link(at("d/g.txt"), at("d/h.txt")));
  struct stat st;
  show("stat h", stat(at("d/h.txt"), &st));
  printf("nlink %d size %lld\n", (int)st.st_nlink, (long long)st.st_size);
  show("symlink", symlink("g.txt", at("d/s")));
  char buf[64] = {0};
  show("readlink", (int)readlink(at("d/s"), buf, sizeof buf - 1));
  printf("target [%s]\n", buf);
  show("lstat link", lstat(at("d/s"), &st));
  printf("is link %d\n", S_ISLNK(st.st_mode));
  show("stat via link", stat(at("d/s"), &st));
  printf("is reg %d size %lld\n", S_ISREG(st.st_mode), (long long)st.st_size);
  cat("d/s");
  list("d");
  show("rename over", rename(at("d/h.txt"), at("d/g.txt")));
  show("unlink s", unlink(at("d/s")));
  show("unlink g", unlink(at("d/g.txt")));
  show("unlink missing", unlink(at("d/g.txt")));
  show("rmdir d", rmdir(at("d")));
  show("stat d", stat(at("d"), &st));
}

/* Many entries: readdir must page through them with cookies. */
static void many(void) {
  mkdir(at("many"), 0755);
  for (int i = 0; i < 150; i++) {
    char name[64];
    snprintf(name, sizeof name, "many/entry-with-a-longish-name-%03d", i);
    close(open(at(name), O_CREAT | O_WRONLY, 0644));
  }
  DIR *d = opendir(at("many"));
  int n = 0, dots = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.')
      dots++;
    else
      n++;
  }
  printf("many: %d entries, %d dots\n", n, dots);
  rewinddir(d);
  n = 0;
  while (readdir(d)) n++;
  printf("after rewind: %d\n", n);
  closedir(d);
  for (int i = 0; i < 150; i++) {
    char name[64];
    snprintf(name, sizeof name, "many/entry-with-a-longish-name-%03d", i);
    unlink(at(name));
  }
  show("rmdir many", rmdir(at("many")));
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: files DIR\n");
    return 2;
  }
  snprintf(base, sizeof base, "%s", argv[1]);
  file_ops();
  dir_ops();
  many();
  unlink(at("a.txt"));
  unlink(at("b.txt"));
  list(".");
  return 0;
}
