# Sourced by .ci/run and ./learn: stop early, with a clear message, when no JDK 25 is installed.
# The build itself finds the JDK through Maven toolchain discovery (pom.xml, maven-toolchains-plugin), which looks in
# the usual places: /usr/lib/jvm, /Library/Java/JavaVirtualMachines, SDKMAN, JAVA_HOME_25_*, JAVA_HOME.
gopatterns_has_jdk25() {
  local d
  for d in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/* \
           "${JAVA_HOME:-/nonexistent}"; do
    if [ -x "$d/bin/javac" ] && "$d/bin/java" -version 2>&1 | grep -Eq 'version "(2[5-9]|[3-9][0-9])'; then
      return 0
    fi
  done
  env | grep -Eq '^JAVA_HOME_(2[5-9]|[3-9][0-9])_' && return 0
  return 1
}
if ! gopatterns_has_jdk25; then
  echo "gopatterns needs a JDK 25 (or newer) installed; none was found." >&2
  echo "Install one (for example Temurin 25 into /usr/lib/jvm, or 'sdk install java 25-tem') and run again." >&2
  echo "It does not need to be the default 'java': the build finds it by itself." >&2
  exit 1
fi
