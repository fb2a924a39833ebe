import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates the topics that do not exist yet (idempotent). Run by create-topics.sh with Java's
 * single-file source launcher on the broker classpath.
 *
 * <p>Arguments: bootstrap servers, partitions, topic names. A topic whose name ends in {@code .policies} is the
 * job's policy topic: compacted, with one partition whatever the partitions argument says.
 */
public final class CreateTopics {
    public static void main(String[] args) throws Exception {
        String servers = args[0];
        int partitions = Integer.parseInt(args[1]);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (int i = 2; i < args.length; i++) {
                if (existing.contains(args[i])) {
                    System.out.println("exists:  " + args[i]);
                } else {
                    missing.add(args[i].endsWith(".policies")
                            ? new NewTopic(args[i], 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))
                            : new NewTopic(args[i], partitions, (short) 1));
                }
            }
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            missing.forEach(t -> System.out.println("created: " + t.name() + " (" + t.numPartitions() + " partitions"
                    + (t.configs() == null ? "" : ", " + t.configs()) + ")"));
        }
    }
}
