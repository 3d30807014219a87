/*
 * bin/zkfleet-agent of a release: runs the agent (lib/zkfleet-agent, Node's single executable) through the
 * release's own dynamic loader and C libraries (lib/), so the host's C library does not matter (CentOS 7's
 * glibc 2.17 included). Static, built with the release (scripts/release.js). The libraries are given to the
 * loader with --library-path, not LD_LIBRARY_PATH: nothing the agent starts (tar, java, systemctl, useradd)
 * inherits them or sees a changed environment.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  char bin[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", bin, sizeof bin - 1);
  if (n <= 0) {
    perror("zkfleet-agent: cannot read /proc/self/exe (is /proc mounted?)");
    return 127;
  }
  bin[n] = '\0';
  *strrchr(bin, '/') = '\0';
  static char loader[PATH_MAX], libs[PATH_MAX], agent[PATH_MAX];
  snprintf(loader, sizeof loader, "%s/../lib/ld-linux-x86-64.so.2", bin);
  snprintf(libs, sizeof libs, "%s/../lib", bin);
  snprintf(agent, sizeof agent, "%s/../lib/zkfleet-agent", bin);
  char **args = calloc((size_t)argc + 4, sizeof *args);
  if (!args) return 127;
  args[0] = loader;
  args[1] = "--library-path";
  args[2] = libs;
  args[3] = agent;
  for (int i = 1; i < argc; i++) args[i + 3] = argv[i];
  execv(loader, args);
  fprintf(stderr, "zkfleet-agent: cannot run %s: ", loader);
  perror(NULL);
  return 127;
}
