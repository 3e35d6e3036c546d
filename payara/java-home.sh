# Sourced by the scripts: points JAVA_HOME at a JDK 21 or newer (Payara Micro 7 needs it).
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || [ "$(java_major "$JAVA_HOME")" -lt 21 ] 2>/dev/null; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/java" ] && [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"; break
    fi
  done
fi
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME")" -lt 21 ] 2>/dev/null; then
  echo "Switchboard needs a JDK 21 or newer: set JAVA_HOME to one." >&2; exit 2
fi
export PATH="$JAVA_HOME/bin:$PATH"
# JVM options every Payara Micro launch gets, whatever else is given. Payara Micro brings its services up on four
# threads by default, and HK2's locks can deadlock between them: the boot then hangs for good, with nothing logged
# (seen once in about sixty boots on a 2-core machine). One startup thread cannot deadlock, and boots as fast there.
PAYARA_BOOT_OPTS="-Dorg.glassfish.startupThreadPolicy=USE_NO_THREADS"
# The heap of a launch that is given no JVM options (SWITCHBOARD_JAVA_OPTS, bench --java-opts). G1 lets the young
# generation grow to 60% of the heap, and its adaptive start of old-generation marking subtracts the young generation
# from the heap: with Payara's ~70 MB that stay live it then marked every few collections for nothing (15% of the
# server's CPU under a steady message load). A young generation of at most 80 MB keeps the start above that.
SWITCHBOARD_HEAP_OPTS="-Xmx512m -XX:MaxNewSize=80m"
