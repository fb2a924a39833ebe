package dev.eveflink.model.bench;

/**
 * The one command line that reruns a benchmark main from the repository root, printed beside its
 * figures (and stored as the part's {@code command}).
 */
final class RerunCommand {
    private RerunCommand() {}

    /** In Maven's JVM ({@code exec:java}) with the model module's test classpath. */
    static String execJava(Class<?> main, String args) {
        return "mvn -q -pl model test-compile exec:java -DskipTests -Dexec.classpathScope=test -Dexec.mainClass="
                + main.getName() + " -Dexec.args=\"" + args + "\"";
    }

    /** In a JVM of its own ({@code exec:exec}) started with {@code jvmOptions}. */
    static String execJvm(String jvmOptions, Class<?> main, String args) {
        return "mvn -q -pl model test-compile exec:exec -DskipTests -Dexec.classpathScope=test"
                + " -Dexec.executable=java -Dexec.args=\"" + jvmOptions + " -cp %classpath " + main.getName() + " "
                + args + "\"";
    }
}
