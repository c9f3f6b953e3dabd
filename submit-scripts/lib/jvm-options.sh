# Sourced by the scripts in submit-scripts/: JVM options every JVM of this project that runs Spark needs.
# shellcheck shell=bash

# Java 17 needs these for Spark and ND4J (the list org.apache.spark.launcher.JavaModuleOptions gives Spark's
# own launcher: Spark 4.1's, which holds 3.5's, less the incubator vector module); without them a driver started
# as plain `java` fails with IllegalAccessError on sun.nio.ch.DirectBuffer.
JAVA_MODULE_OPTIONS=(
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true
  -Dio.netty.allocator.type=pooled
)

# dl4j-spark's default NTP time source fails offline.
TIME_SOURCE="-Dorg.deeplearning4j.spark.time.TimeSource=org.deeplearning4j.spark.time.SystemClockTimeSource"

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
