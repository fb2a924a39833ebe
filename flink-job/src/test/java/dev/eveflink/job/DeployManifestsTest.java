package dev.eveflink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.eveflink.operators.moderation.PolicyTopic;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ClusterOptions;
import org.apache.flink.configuration.ConfigConstants;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalResourceOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.SecurityOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.w3c.dom.Document;

/**
 * Checks the container image and the Kubernetes manifests under {@code deploy/} without a cluster or Docker: every
 * manifest parses, the FlinkDeployment passes only options the job knows (and {@link JobConfig} accepts them), its
 * topics are the Strimzi topics, its Flink configuration uses real Flink 2.2 keys with parseable values, the GPU,
 * metrics, model and state settings agree with each other, and the image puts things where the manifests and the
 * build say they are. Files are read relative to the flink-job module (surefire's working directory).
 */
class DeployManifestsTest {

    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Path K8S = DEPLOY.resolve("k8s");
    private static final Path DOCKER = DEPLOY.resolve("docker");
    private static final List<String> K8S_FILES = List.of(
            "flink-deployment.yaml", "kafka-topics.yaml", "model-pvc.yaml", "model-download-job.yaml",
            "pod-monitor.yaml");
    private static final String GPU = "gpu";
    private static final String MAIN_CONTAINER = "flink-main-container";
    private static final String JOB_JAR_IN_CONTEXT = "flink-job/target/eve-flink-job.jar";

    private static Map<String, List<Map<String, Object>>> docsByFile;
    private static Map<String, Object> deployment;
    private static List<String> args;
    private static JobConfig jobConfig;
    private static Map<String, String> flinkConf;
    private static Dockerfile dockerfile;
    private static Document rootPom;

    @BeforeAll
    static void load() throws Exception {
        docsByFile = new LinkedHashMap<>();
        for (String file : K8S_FILES) {
            docsByFile.put(file, parseYaml(K8S.resolve(file)));
        }
        deployment = single("flink-deployment.yaml", "FlinkDeployment");
        args = stringList(path(deployment, "spec", "job", "args"), "spec.job.args");
        jobConfig = JobConfig.fromArgs(args.toArray(String[]::new));
        flinkConf = stringMap(path(deployment, "spec", "flinkConfiguration"), "spec.flinkConfiguration");
        dockerfile = Dockerfile.parse(read(DOCKER.resolve("Dockerfile")));
        rootPom = xml(Path.of("..", "pom.xml"));
    }

    @Test
    void everyManifestParsesAndNamesItsKind() throws IOException {
        try (Stream<Path> files = Files.list(K8S)) {
            Set<String> present = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(present).as("manifests in %s", K8S).containsExactlyInAnyOrderElementsOf(K8S_FILES);
        }
        docsByFile.forEach((file, docs) -> {
            assertThat(docs).as("%s has no YAML documents", file).isNotEmpty();
            for (Map<String, Object> doc : docs) {
                assertThat(doc.get("apiVersion")).as("%s: apiVersion", file).isInstanceOf(String.class);
                assertThat(doc.get("kind")).as("%s: kind", file).isInstanceOf(String.class);
                String name = (String) path(doc, "metadata", "name");
                assertThat(name).as("%s: metadata.name must be a DNS-1123 subdomain", file)
                        .matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
            }
        });
        assertThat(deployment.get("apiVersion")).isEqualTo("flink.apache.org/v1beta1");
        assertThat(single("model-pvc.yaml", "PersistentVolumeClaim")).isNotNull();
        assertThat(single("model-download-job.yaml", "Job").get("apiVersion")).isEqualTo("batch/v1");
        assertThat(single("pod-monitor.yaml", "PodMonitor").get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
    }

    @Test
    void programArgumentsAreOptionsOfTheJob() {
        assertThat(args.size() % 2).as("program arguments come as --key value pairs: %s", args).isZero();
        Set<String> known = jobOptionKeys();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < args.size(); i += 2) {
            String flag = args.get(i);
            assertThat(flag).as("argument %d", i).startsWith("--");
            String key = flag.substring(2);
            assertThat(seen.add(key)).as("--%s is given twice", key).isTrue();
            if (key.startsWith(EveJobOptions.KAFKA_PREFIX)) {
                assertThat(key.length()).as("--%s names no Kafka property", key)
                        .isGreaterThan(EveJobOptions.KAFKA_PREFIX.length());
            } else {
                assertThat(known).as("--%s is not an option of EveJobOptions", key).contains(key);
            }
        }
        // The job's own validation accepted them in load(); the values it derived are sane for a GPU deployment.
        assertThat(jobConfig.asyncCapacity()).as("async-capacity must keep the engine's batch full")
                .isGreaterThanOrEqualTo(jobConfig.maxBatchSize());
        assertThat(jobConfig.transactionTimeout()).as("a Kafka transaction stays open for a checkpoint interval")
                .isGreaterThan(jobConfig.checkpointInterval());
        assertThat(jobConfig.asyncTimeout()).isGreaterThan(jobConfig.maxWait());
    }

    @Test
    void jobTopicsAreTheStrimziTopics() {
        List<Map<String, Object>> topics = kinds("kafka-topics.yaml", "KafkaTopic");
        Map<String, Map<String, String>> byName = new LinkedHashMap<>();
        Set<String> clusters = new TreeSet<>();
        for (Map<String, Object> topic : topics) {
            assertThat((String) topic.get("apiVersion")).startsWith("kafka.strimzi.io/");
            Map<String, Object> spec = path(topic, "spec");
            String name = spec.containsKey("topicName")
                    ? (String) spec.get("topicName") : (String) path(topic, "metadata", "name");
            byName.put(name, stringMapOfScalars(spec.get("config"), name + " config"));
            clusters.add((String) path(topic, "metadata", "labels", "strimzi.io/cluster"));
        }
        assertThat(byName.keySet()).containsExactlyInAnyOrder(jobConfig.inputTopic(), jobConfig.resultsTopic(),
                jobConfig.flaggedTopic(), jobConfig.deadLetterTopic(), jobConfig.policiesTopic());
        // The job rebuilds its policy sets by reading the policy topic from the beginning: it must keep the latest
        // record of every tenant, and one partition keeps a tenant's updates in order.
        assertThat(byName.get(jobConfig.policiesTopic())).containsAllEntriesOf(PolicyTopic.CONFIG)
                .doesNotContainKey("retention.ms");
        assertThat(intValue(topicSpec(topics, jobConfig.policiesTopic()).get("partitions"), "policy partitions"))
                .isEqualTo(1);
        assertThat(clusters).as("strimzi.io/cluster of every topic").hasSize(1);
        assertThat(jobConfig.bootstrapServers()).as("bootstrap servers of the Strimzi cluster's plain listener")
                .isEqualTo(clusters.iterator().next() + "-kafka-bootstrap:9092");

        Map<String, Object> input = topicSpec(topics, jobConfig.inputTopic());
        int parallelism = intValue(path(deployment, "spec", "job", "parallelism"), "job.parallelism");
        assertThat(intValue(input.get("partitions"), "input partitions"))
                .as("input partitions bound the parallelism").isGreaterThanOrEqualTo(parallelism);
        for (Map<String, Object> topic : topics) {
            Map<String, Object> spec = path(topic, "spec");
            int replicas = intValue(spec.get("replicas"), "replicas");
            Map<String, String> config = stringMapOfScalars(spec.get("config"), "config");
            assertThat(replicas).as("%s: one broker may fail with acks=all", topic)
                    .isGreaterThan(Integer.parseInt(config.getOrDefault("min.insync.replicas", "1")));
        }

        long deadRetention = Long.parseLong(byName.get(jobConfig.deadLetterTopic()).get("retention.ms"));
        byName.forEach((name, config) -> {
            if (name.equals(jobConfig.policiesTopic())) {
                return; // compacted: kept, not expired
            }
            assertThat(config).as("%s sets retention.ms", name).containsKey("retention.ms");
            if (!name.equals(jobConfig.deadLetterTopic())) {
                assertThat(Long.parseLong(config.get("retention.ms"))).as("dead letters are kept longest, not %s", name)
                        .isLessThan(deadRetention);
            }
        });

        // A dead letter wraps the original request: its topic and the producer must take a request plus metadata.
        long requestMax = Long.parseLong(byName.get(jobConfig.inputTopic()).get("max.message.bytes"));
        long deadMax = Long.parseLong(byName.get(jobConfig.deadLetterTopic()).get("max.message.bytes"));
        long producerMax = Long.parseLong(jobConfig.kafkaProperties().getProperty("max.request.size"));
        assertThat(deadMax).isGreaterThanOrEqualTo(requestMax + 64 * 1024);
        assertThat(producerMax).isBetween(requestMax + 64 * 1024, deadMax);
    }

    @Test
    void flinkConfigurationUsesFlinkKeysWithParseableValues() {
        Map<String, ConfigOption<?>> options = flinkOptionsByKey();
        Set<String> pluginKeys = pluginOptionKeys();
        Configuration conf = Configuration.fromMap(flinkConf);
        for (String key : flinkConf.keySet()) {
            ConfigOption<?> option = options.get(key);
            if (option == null) {
                assertThat(pluginKeys).as("'%s' is neither a Flink 2.2 option nor a plugin option", key).contains(key);
            } else {
                Object value = conf.get(option);
                assertThat(value).as("value of %s", key).isNotNull();
            }
        }
        assertThat((Object) path(deployment, "spec", "flinkVersion")).as("flinkVersion of the project's Flink")
                .isEqualTo("v" + majorMinor(pomProperty("flink.version")).replace('.', '_'));
        // The job sets its checkpoint interval itself (--checkpoint-interval); a second one here would disagree.
        assertThat(flinkConf).doesNotContainKey(CheckpointingOptions.CHECKPOINTING_INTERVAL.key());
    }

    @Test
    void oneSlotPerGpuThroughFlinksGpuPlugin() {
        Configuration conf = Configuration.fromMap(flinkConf);
        assertThat(conf.get(ExternalResourceOptions.EXTERNAL_RESOURCE_LIST)).contains(GPU);
        long gpus = conf.get(ConfigOptions.key(ExternalResourceOptions.getAmountConfigOptionForResource(GPU))
                .longType().noDefaultValue());
        int slots = conf.get(TaskManagerOptions.NUM_TASK_SLOTS);
        assertThat(gpus).isPositive();
        assertThat((long) slots).as("one slot per GPU").isEqualTo(gpus);
        assertThat(flinkConf.get(ExternalResourceOptions.getExternalResourceDriverFactoryConfigOptionForResource(GPU)))
                .isEqualTo("org.apache.flink.externalresource.gpu.GPUDriverFactory");
        assertThat(flinkConf.get(ExternalResourceOptions.getSystemConfigKeyConfigOptionForResource(
                GPU, "kubernetes.config-key"))).isEqualTo("nvidia.com/gpu");
        String script = flinkConf.get(ExternalResourceOptions.getExternalResourceParamConfigPrefixForResource(GPU)
                + "discovery-script.path");
        assertThat(script).isEqualTo("/opt/flink/plugins/external-resource-gpu/nvidia-gpu-discovery.sh");
        assertThat(dockerfile.text()).as("the image build checks the discovery script ships in the Flink image")
                .contains("test -x plugins/external-resource-gpu/nvidia-gpu-discovery.sh");
        int parallelism = intValue(path(deployment, "spec", "job", "parallelism"), "job.parallelism");
        assertThat(parallelism % slots).as("parallelism fills whole TaskManagers").isZero();
        assertThat(dockerfile.stage(GPU).env()).containsEntry("PYTORCH_FLAVOR", "cu128")
                .containsEntry("NVIDIA_DRIVER_CAPABILITIES", "compute,utility");
    }

    @Test
    void everyJvmGetsDjlOfflineAndAvroTrust() {
        Map<String, String> props = systemProperties(flinkConf.get(CoreOptions.FLINK_JVM_OPTIONS.key()));
        assertThat(props).containsEntry("ai.djl.offline", "true").containsEntry("ai.djl.default_engine", "PyTorch")
                .containsEntry("ai.djl.pytorch.num_interop_threads", "1")
                .containsEntry("org.apache.avro.SERIALIZABLE_PACKAGES", pomProperty("avro.trusted.packages"))
                .containsKey("ENGINE_CACHE_DIR");
        int threads = Integer.parseInt(props.get("ai.djl.pytorch.num_threads"));
        double cpus = ((Number) path(deployment, "spec", "taskManager", "resource", "cpu")).doubleValue();
        assertThat(threads).isPositive().isLessThanOrEqualTo((int) cpus);

        // The image carries the same settings for standalone use, and DJL's cache is where the image says.
        Dockerfile.Stage base = dockerfile.stage("eve-base");
        assertThat(systemProperties(base.env().get("EVE_JVM_OPTS"))).isEqualTo(props);
        assertThat(base.env()).containsEntry("ENGINE_CACHE_DIR", props.get("ENGINE_CACHE_DIR"))
                .containsEntry("DJL_OFFLINE", "true").containsEntry("DJL_DEFAULT_ENGINE", "PyTorch");
        Map<String, Object> cacheMount = mainContainerMount(props.get("ENGINE_CACHE_DIR"));
        assertThat(cacheMount.get("readOnly")).as("DJL unpacks its JNI glue into the cache").isNotEqualTo(true);
        assertThat(flinkConf.get(CoreOptions.ALWAYS_PARENT_FIRST_LOADER_PATTERNS_ADDITIONAL.key()))
                .as("DJL must come from Flink's lib/, parent-first").contains("ai.djl.");
    }

    @Test
    void imagePutsTheJobAndDjlWhereTheManifestsLook() throws Exception {
        Map<String, Object> job = path(deployment, "spec", "job");
        Document jobPom = xml(Path.of("pom.xml"));
        String shadedJar = xpath(jobPom, "//*[local-name()='execution'][*[local-name()='id']='job-jar']"
                + "//*[local-name()='outputFile']");
        String jarName = Path.of(JOB_JAR_IN_CONTEXT).getFileName().toString();
        assertThat(shadedJar).as("the image copies the shaded job jar of flink-job/pom.xml")
                .isEqualTo("${project.build.directory}/" + jarName);
        assertThat(JOB_JAR_IN_CONTEXT).isEqualTo("flink-job/target/" + jarName);
        assertThat(job.get("entryClass")).as("entry class = the shaded jar's Main-Class")
                .isEqualTo(xpath(jobPom, "//*[local-name()='mainClass']"));
        assertThat(dockerfile.stageNames()).contains("cpu", GPU);
        assertThat(dockerfile.stageNames().get(dockerfile.stageNames().size() - 1))
                .as("the default target is the GPU image").isEqualTo(GPU);
        for (String target : List.of("cpu", GPU)) {
            Dockerfile.Stage stage = dockerfile.stage(target);
            assertThat("local://" + stage.copyDestination(JOB_JAR_IN_CONTEXT)).as("%s: jarURI", target)
                    .isEqualTo(job.get("jarURI"));
            String flavor = stage.env().get("PYTORCH_FLAVOR");
            Dockerfile.Stage djl = dockerfile.stage("djl-" + flavor);
            assertThat(djl.text()).as("djl-%s fetches its own flavour", flavor)
                    .contains("fetch-djl.sh " + flavor + " ");
            assertThat(stage.copyDestination("--from=djl-" + flavor, "/djl/lib/")).isEqualTo("/opt/flink/lib/");
            assertThat(trimSlash(stage.copyDestination("--from=djl-" + flavor, "/djl/pytorch/")))
                    .isEqualTo(dockerfile.stage("eve-base").env().get("PYTORCH_LIBRARY_PATH"));
        }
        assertThat(dockerfile.stage(GPU).env()).containsEntry("LD_LIBRARY_PATH",
                trimSlash(dockerfile.stage(GPU).copyDestination("--from=cudart", "/cudart/")));

        // Versions: the image is built from the project's Flink, PyTorch and DJL.
        assertThat(dockerfile.arg("FLINK_IMAGE")).isEqualTo("flink:" + pomProperty("flink.version")
                + "-scala_2.12-java" + pomProperty("maven.compiler.release"));
        assertThat(dockerfile.arg("PYTORCH_VERSION")).isEqualTo(pomProperty("pytorch.native.version"));
        Document libPom = xml(DOCKER.resolve("djl-lib/pom.xml"));
        assertThat(xpath(libPom, "/*[local-name()='project']/*[local-name()='parent']/*[local-name()='version']"))
                .isEqualTo(xpath(rootPom, "/*[local-name()='project']/*[local-name()='version']"));
        assertThat(DOCKER.resolve("djl-lib").resolve(xpath(libPom,
                "/*[local-name()='project']/*[local-name()='parent']/*[local-name()='relativePath']")).normalize())
                .isEqualTo(Path.of("..", "pom.xml").normalize());
        for (String flavor : List.of("cpu", "cu128")) {
            assertThat(xpath(libPom, "//*[local-name()='profile'][*[local-name()='id']='" + flavor + "']"
                    + "//*[local-name()='artifactId']")).isEqualTo("pytorch-native-" + flavor);
        }

        // Every file the build takes from the context exists (or is the build's own jar) and passes .dockerignore.
        List<String> ignore = lines(DOCKER.resolve("Dockerfile.dockerignore"));
        for (String source : dockerfile.contextSources()) {
            assertThat(ignore).as("Dockerfile.dockerignore lets %s into the context", source).contains("!" + source);
            if (!source.equals(JOB_JAR_IN_CONTEXT)) {
                assertThat(Path.of("..", source)).as("build context file").exists();
            }
        }
    }

    @Test
    void modelComesReadOnlyFromTheVolumeTheDownloadJobFills() {
        String modelDir = jobConfig.modelDir();
        Map<String, Object> mount = mainContainerMount(modelDir);
        assertThat(mount.get("readOnly")).as("the model volume is mounted read-only").isEqualTo(true);
        Map<String, Object> volume = podVolume(path(deployment, "spec", "podTemplate", "spec"),
                (String) mount.get("name"));
        String claim = (String) path(volume, "persistentVolumeClaim", "claimName");
        assertThat((Object) path(volume, "persistentVolumeClaim", "readOnly")).isEqualTo(true);
        assertThat(claim).isEqualTo(path(single("model-pvc.yaml", "PersistentVolumeClaim"), "metadata", "name"));

        Map<String, Object> download = single("model-download-job.yaml", "Job");
        Map<String, Object> podSpec = path(download, "spec", "template", "spec");
        Map<String, Object> container = onlyElement(listOfMaps(podSpec.get("containers"), "Job containers"));
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> e : listOfMaps(container.get("env"), "Job env")) {
            env.put((String) e.get("name"), String.valueOf(e.get("value")));
        }
        assertThat(env.get("MODEL_DIR")).as("the download Job writes where --model-dir points").isEqualTo(modelDir);
        assertThat(env.get("MODEL_REPO")).isIn("BAAI/EVE-7B-v1.0", "BAAI/EVE-7B-HD-v1.0")
                .endsWith("/" + Path.of(modelDir).getFileName());
        Map<String, Object> jobMount = onlyElement(listOfMaps(container.get("volumeMounts"), "Job mounts"));
        assertThat(modelDir).startsWith(jobMount.get("mountPath") + "/");
        assertThat((Object) path(podVolume(podSpec, (String) jobMount.get("name")), "persistentVolumeClaim", "claimName"))
                .isEqualTo(claim);
    }

    @Test
    void checkpointsAndHighAvailabilityGoToObjectStorage() {
        Configuration conf = Configuration.fromMap(flinkConf);
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).startsWith("s3://");
        assertThat(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).startsWith("s3://");
        assertThat(conf.get(HighAvailabilityOptions.HA_STORAGE_PATH)).startsWith("s3://");
        assertThat(conf.get(HighAvailabilityOptions.HA_MODE)).isEqualTo("kubernetes");
        assertThat((Object) path(deployment, "spec", "job", "upgradeMode")).isEqualTo("last-state");
        assertThat(dockerfile.stage("eve-base").text()).as("the image enables the S3 filesystem plugin")
                .contains("mkdir -p plugins/s3-fs-hadoop").contains("cp opt/flink-s3-fs-hadoop-*.jar plugins/s3-fs-hadoop/");
    }

    @Test
    void prometheusReporterPortIsExposedAndScraped() {
        String port = flinkConf.get(ConfigConstants.METRICS_REPORTER_PREFIX + "prom.port");
        assertThat(flinkConf.get(ConfigConstants.METRICS_REPORTER_PREFIX + "prom."
                + MetricOptions.REPORTER_FACTORY_CLASS.key()))
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        Map<String, Object> container = mainContainer();
        Map<String, Object> metricsPort = listOfMaps(container.get("ports"), "ports").stream()
                .filter(p -> "metrics".equals(p.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named 'metrics'"));
        assertThat(String.valueOf(metricsPort.get("containerPort"))).isEqualTo(port);

        Map<String, Object> monitor = single("pod-monitor.yaml", "PodMonitor");
        assertThat(listOfMaps(path(monitor, "spec", "podMetricsEndpoints"), "podMetricsEndpoints"))
                .extracting(e -> e.get("port")).containsExactly("metrics");
        Map<String, Object> labels = path(monitor, "spec", "selector", "matchLabels");
        assertThat(labels).containsEntry("app", path(deployment, "metadata", "name"))
                .containsEntry("type", "flink-native-kubernetes");
        assertThat(dockerfile.stage("eve-base").text())
                .contains("ls plugins/metrics-prometheus/flink-metrics-prometheus-*.jar");
    }

    @Test
    void guideCoversEveryManifestAndBothImages() {
        String guide = read(DEPLOY.resolve("README.md"));
        for (String file : K8S_FILES) {
            assertThat(guide).as("deploy/README.md mentions %s", file).contains(file);
        }
        assertThat(guide).contains("--target gpu", "--target cpu", "BAAI/EVE-7B-v1.0", "BAAI/EVE-7B-HD-v1.0",
                "nvidia.com/gpu", "--max-batch-size", "--async-capacity");
    }

    // ------------------------------------------------------------------------------------------------------------
    // Helpers: reading files, walking parsed YAML, option key sets.

    private static String read(Path file) {
        if (!Files.isRegularFile(file)) {
            fail("missing file " + file.toAbsolutePath().normalize());
        }
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    private static List<String> lines(Path file) {
        return read(file).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> parseYaml(Path file) {
        String text = read(file);
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadAllFromString(text)) {
            if (doc == null) {
                continue;
            }
            assertThat(doc).as("%s: every document is a mapping", file).isInstanceOf(Map.class);
            docs.add((Map<String, Object>) doc);
        }
        return docs;
    }

    private static Document xml(Path file) throws Exception {
        read(file);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static String xpath(Document doc, String expression) throws Exception {
        String value = ((String) XPathFactory.newInstance().newXPath().evaluate(expression, doc,
                XPathConstants.STRING)).strip();
        assertThat(value).as("XPath %s", expression).isNotEmpty();
        return value;
    }

    private static String pomProperty(String name) {
        try {
            return xpath(rootPom, "/*[local-name()='project']/*[local-name()='properties']/*[local-name()='"
                    + name + "']");
        } catch (Exception e) {
            throw new AssertionError("root pom property " + name, e);
        }
    }

    private static List<Map<String, Object>> kinds(String file, String kind) {
        List<Map<String, Object>> found = docsByFile.get(file).stream().filter(d -> kind.equals(d.get("kind")))
                .toList();
        assertThat(found).as("%s in %s", kind, file).isNotEmpty();
        return found;
    }

    private static Map<String, Object> single(String file, String kind) {
        List<Map<String, Object>> found = kinds(file, kind);
        assertThat(found).as("one %s in %s", kind, file).hasSize(1);
        return found.get(0);
    }

    private static Map<String, Object> topicSpec(List<Map<String, Object>> topics, String topicName) {
        return topics.stream().map(t -> DeployManifestsTest.<Map<String, Object>>path(t, "spec"))
                .filter(s -> topicName.equals(s.get("topicName"))).findFirst()
                .orElseThrow(() -> new AssertionError("no KafkaTopic with topicName " + topicName));
    }

    /** Walks nested mappings; fails with the path when a step is missing. */
    @SuppressWarnings("unchecked")
    private static <T> T path(Map<String, Object> root, String... keys) {
        Object node = root;
        StringBuilder at = new StringBuilder();
        for (String key : keys) {
            at.append('.').append(key);
            if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
                throw new AssertionError("missing " + at + " in " + root.get("kind") + " "
                        + (root.get("metadata") instanceof Map<?, ?> m ? m.get("name") : ""));
            }
            node = map.get(key);
        }
        return (T) node;
    }

    private static List<String> stringList(Object node, String what) {
        assertThat(node).as(what).isInstanceOf(List.class);
        List<String> out = new ArrayList<>();
        for (Object item : (List<?>) node) {
            assertThat(item).as("%s: every item is a (quoted) string, got %s", what, item).isInstanceOf(String.class);
            out.add((String) item);
        }
        return out;
    }

    /** The operator's flinkConfiguration is a string map on older operators: every value must be a string. */
    private static Map<String, String> stringMap(Object node, String what) {
        assertThat(node).as(what).isInstanceOf(Map.class);
        Map<String, String> out = new LinkedHashMap<>();
        ((Map<?, ?>) node).forEach((k, v) -> {
            assertThat(v).as("%s: value of %s must be a quoted string", what, k).isInstanceOf(String.class);
            out.put((String) k, (String) v);
        });
        return out;
    }

    private static Map<String, String> stringMapOfScalars(Object node, String what) {
        assertThat(node).as(what).isInstanceOf(Map.class);
        Map<String, String> out = new LinkedHashMap<>();
        ((Map<?, ?>) node).forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> listOfMaps(Object node, String what) {
        assertThat(node).as(what).isInstanceOf(List.class);
        return (List<Map<String, Object>>) node;
    }

    private static <T> T onlyElement(List<T> list) {
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    private static int intValue(Object node, String what) {
        assertThat(node).as(what).isInstanceOf(Integer.class);
        return (Integer) node;
    }

    private static Map<String, Object> mainContainer() {
        Map<String, Object> spec = path(deployment, "spec", "podTemplate", "spec");
        return listOfMaps(spec.get("containers"), "podTemplate containers").stream()
                .filter(c -> MAIN_CONTAINER.equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("podTemplate has no " + MAIN_CONTAINER));
    }

    /** The volume mount of the main container that holds {@code dir}. */
    private static Map<String, Object> mainContainerMount(String dir) {
        return listOfMaps(mainContainer().get("volumeMounts"), "volumeMounts").stream()
                .filter(m -> Path.of(dir).startsWith(Path.of((String) m.get("mountPath")))).findFirst()
                .orElseThrow(() -> new AssertionError(dir + " is on no volume of " + MAIN_CONTAINER));
    }

    private static Map<String, Object> podVolume(Map<String, Object> podSpec, String name) {
        return listOfMaps(podSpec.get("volumes"), "volumes").stream().filter(v -> name.equals(v.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /** -Dkey=value tokens of a JVM option string; anything else is rejected. */
    private static Map<String, String> systemProperties(String jvmOptions) {
        assertThat(jvmOptions).as("JVM options").isNotBlank();
        Map<String, String> props = new LinkedHashMap<>();
        for (String token : jvmOptions.strip().split("\\s+")) {
            Matcher m = Pattern.compile("-D([^=]+)=(.*)").matcher(token);
            assertThat(m.matches()).as("JVM option %s is a -Dkey=value", token).isTrue();
            props.put(m.group(1), m.group(2));
        }
        return props;
    }

    private static Set<String> jobOptionKeys() {
        Set<String> keys = new TreeSet<>();
        for (Field f : EveJobOptions.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                try {
                    keys.add(((ConfigOption<?>) f.get(null)).key());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        assertThat(keys).as("options of EveJobOptions").contains("input-topic", "model-dir");
        return keys;
    }

    /** Every key (and fallback key) of the Flink 2.2 option classes a deployment configures. */
    private static Map<String, ConfigOption<?>> flinkOptionsByKey() {
        Map<String, ConfigOption<?>> byKey = new LinkedHashMap<>();
        for (Class<?> holder : List.of(CoreOptions.class, TaskManagerOptions.class, JobManagerOptions.class,
                CheckpointingOptions.class, StateBackendOptions.class, StateRecoveryOptions.class,
                HighAvailabilityOptions.class, RestartStrategyOptions.class, MetricOptions.class,
                ExternalResourceOptions.class, PipelineOptions.class, ExecutionOptions.class, RestOptions.class,
                SecurityOptions.class, ClusterOptions.class, DeploymentOptions.class)) {
            for (Field f : holder.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    try {
                        ConfigOption<?> option = (ConfigOption<?>) f.get(null);
                        byKey.putIfAbsent(option.key(), option);
                        for (FallbackKey fallback : option.fallbackKeys()) {
                            byKey.putIfAbsent(fallback.getKey(), option);
                        }
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        return byKey;
    }

    /** Keys of plugins that are not on the test classpath: the GPU driver, the Prometheus reporter, S3. */
    private static Set<String> pluginOptionKeys() {
        String gpuParams = ExternalResourceOptions.getExternalResourceParamConfigPrefixForResource(GPU);
        String prom = ConfigConstants.METRICS_REPORTER_PREFIX + "prom.";
        return Set.of(
                ExternalResourceOptions.getAmountConfigOptionForResource(GPU),
                ExternalResourceOptions.getExternalResourceDriverFactoryConfigOptionForResource(GPU),
                ExternalResourceOptions.getSystemConfigKeyConfigOptionForResource(GPU, "kubernetes.config-key"),
                gpuParams + "discovery-script.path", gpuParams + "discovery-script.args",
                prom + MetricOptions.REPORTER_FACTORY_CLASS.key(), prom + "port",
                "s3.endpoint", "s3.path.style.access", "s3.access-key", "s3.secret-key");
    }

    private static String majorMinor(String version) {
        Matcher m = Pattern.compile("(\\d+\\.\\d+)\\..*").matcher(version);
        assertThat(m.matches()).as("version %s", version).isTrue();
        return m.group(1);
    }

    private static String trimSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /**
     * Just enough of a Dockerfile reader for these checks: continuation lines joined, global ARG defaults, and per
     * stage its ENV values (quotes removed) and COPY instructions.
     */
    record Dockerfile(String text, Map<String, String> args, List<Stage> stages) {

        record Copy(List<String> flags, List<String> sources, String destination) {}

        record Stage(String name, String text, Map<String, String> env, List<Copy> copies) {
            /** Destination of the COPY that takes {@code source} with all of {@code flagsAndSource} but the last as flags. */
            String copyDestination(String... flagsAndSource) {
                String source = flagsAndSource[flagsAndSource.length - 1];
                List<String> flags = List.of(flagsAndSource).subList(0, flagsAndSource.length - 1);
                return copies.stream().filter(c -> c.sources().contains(source) && c.flags().containsAll(flags))
                        .map(Copy::destination).findFirst()
                        .orElseThrow(() -> new AssertionError("stage " + name + " copies no " + source + " " + flags));
            }
        }

        static Dockerfile parse(String text) {
            List<String> instructions = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : text.split("\n", -1)) {
                String stripped = line.strip();
                if (current.length() == 0 && (stripped.isEmpty() || stripped.startsWith("#"))) {
                    continue;
                }
                if (stripped.endsWith("\\")) {
                    current.append(stripped, 0, stripped.length() - 1).append(' ');
                } else {
                    current.append(stripped);
                    instructions.add(current.toString());
                    current.setLength(0);
                }
            }
            Map<String, String> args = new LinkedHashMap<>();
            List<Stage> stages = new ArrayList<>();
            Stage stage = null;
            for (String instruction : instructions) {
                String[] parts = instruction.split("\\s+", 2);
                String op = parts[0].toUpperCase();
                String rest = parts.length > 1 ? parts[1] : "";
                if (op.equals("FROM")) {
                    Matcher m = Pattern.compile("\\S+\\s+AS\\s+(\\S+)", Pattern.CASE_INSENSITIVE).matcher(rest);
                    assertThat(m.matches()).as("every stage is named: FROM %s", rest).isTrue();
                    stage = new Stage(m.group(1), "", new LinkedHashMap<>(), new ArrayList<>());
                    stages.add(stage);
                } else if (stage == null) {
                    if (op.equals("ARG")) {
                        String[] kv = rest.split("=", 2);
                        args.put(kv[0], kv.length > 1 ? kv[1] : null);
                    }
                } else {
                    Stage withText = new Stage(stage.name(), stage.text() + instruction + "\n", stage.env(),
                            stage.copies());
                    stages.set(stages.size() - 1, withText);
                    stage = withText;
                    if (op.equals("ENV")) {
                        Matcher kv = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)").matcher(rest);
                        while (kv.find()) {
                            stage.env().put(kv.group(1), kv.group(2).replaceAll("^\"|\"$", ""));
                        }
                    } else if (op.equals("COPY")) {
                        List<String> tokens = List.of(rest.split("\\s+"));
                        List<String> flags = tokens.stream().filter(t -> t.startsWith("--")).toList();
                        List<String> paths = tokens.stream().filter(t -> !t.startsWith("--")).toList();
                        stage.copies().add(new Copy(flags, paths.subList(0, paths.size() - 1),
                                paths.get(paths.size() - 1)));
                    }
                }
            }
            return new Dockerfile(text, args, stages);
        }

        Stage stage(String name) {
            return stages.stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("Dockerfile has no stage " + name));
        }

        List<String> stageNames() {
            return stages.stream().map(Stage::name).toList();
        }

        String arg(String name) {
            assertThat(args).as("global ARG %s", name).containsKey(name);
            return args.get(name);
        }

        /** Files taken from the build context (COPY without --from). */
        Set<String> contextSources() {
            Set<String> sources = new TreeSet<>();
            for (Stage s : stages) {
                for (Copy c : s.copies()) {
                    if (c.flags().stream().noneMatch(f -> f.startsWith("--from="))) {
                        sources.addAll(c.sources());
                    }
                }
            }
            return sources;
        }
    }
}
