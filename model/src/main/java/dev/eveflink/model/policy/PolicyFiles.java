package dev.eveflink.model.policy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads and writes policies files. One format, written in YAML or JSON (JSON is read as YAML):
 *
 * <pre>
 * version: "2026-11-27"          # optional, the set's version, default "1"
 * policies:
 *   - id: prohibited-symbol      # required, unique
 *     version: 3                 # optional, default "1"
 *     question: is there a cross?   # one question, or
 *     questions: [is there a cross?, is there an x?]   # several, combined by max
 *     review: 0.35               # optional, default = flag
 *     flag: 0.5                  # required
 *     action: block              # optional: block (default) | quarantine | label
 *     tenants: [acme]            # optional, default every tenant
 * </pre>
 *
 * A bare list of policies (the top level is the {@code policies} list) is accepted too. Unknown keys
 * are errors, so a misspelt threshold cannot silently fall back to a default. Every error names the
 * source and the line.
 */
public final class PolicyFiles {
    private static final Set<String> SET_KEYS = Set.of("version", "policies");
    private static final Set<String> POLICY_KEYS =
            Set.of("id", "version", "question", "questions", "review", "flag", "action", "tenants");
    /** Policies files are small; a bigger one is a mistake (or an attack on the parser). */
    private static final int MAX_CHARS = 1 << 20;

    private PolicyFiles() {}

    /** Reads the policies file at {@code file}; errors name the file and line. */
    public static PolicySet read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PolicyFileException(file.toString(), 0, "cannot read the policies file: " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /**
     * Parses a policies file's text.
     *
     * @param source names the text in errors (a file name, or e.g. a topic, partition and offset)
     */
    public static PolicySet parse(String text, String source) {
        if (text.length() > MAX_CHARS) {
            throw new PolicyFileException(source, 0, "a policies file may hold at most " + MAX_CHARS
                    + " characters, this one has " + text.length());
        }
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            options.setCodePointLimit(MAX_CHARS * 4);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            String hint = e.getProblem() != null && e.getProblem().endsWith("but got ?")
                    ? " (a question ending in '?' inside [...] or {...} must be quoted: [\"is it red?\"])"
                    : "";
            throw new PolicyFileException(source, line, "not valid YAML/JSON: " + e.getProblem() + hint, e);
        } catch (YAMLException e) {
            throw new PolicyFileException(source, 0, "not valid YAML/JSON: " + e.getMessage(), e);
        }
        if (root == null) {
            throw new PolicyFileException(source, 0, "the policies file is empty");
        }
        return new Reader(source).set(root);
    }

    /** The set as JSON in the format {@link #parse} reads (for the policy topic and for tests). */
    public static String toJson(PolicySet set) {
        JsonObject root = new JsonObject();
        root.addProperty("version", set.version());
        JsonArray policies = new JsonArray();
        for (ModerationPolicy p : set.policies()) {
            JsonObject o = new JsonObject();
            o.addProperty("id", p.id());
            o.addProperty("version", p.version());
            JsonArray questions = new JsonArray();
            p.questions().forEach(questions::add);
            o.add("questions", questions);
            o.addProperty("review", p.reviewThreshold());
            o.addProperty("flag", p.flagThreshold());
            o.addProperty("action", p.action().fileName());
            if (!p.tenants().isEmpty()) {
                JsonArray tenants = new JsonArray();
                p.tenants().stream().sorted().forEach(tenants::add);
                o.add("tenants", tenants);
            }
            policies.add(o);
        }
        root.add("policies", policies);
        return root.toString();
    }

    /** Walks the node tree; every error carries the line of the node it is about. */
    private record Reader(String source) {

        PolicySet set(Node root) {
            if (root instanceof SequenceNode list) {
                return new PolicySet("1", policies(list));
            }
            Map<String, Node> fields = mapping(root, "the top level", SET_KEYS);
            Node policies = fields.get("policies");
            if (policies == null) {
                throw error(root, "the top level needs a 'policies' list");
            }
            if (!(policies instanceof SequenceNode list)) {
                throw error(policies, "'policies' must be a list");
            }
            String version = fields.containsKey("version") ? scalar(fields.get("version"), "version") : "1";
            return new PolicySet(version, policies(list));
        }

        private List<ModerationPolicy> policies(SequenceNode list) {
            List<ModerationPolicy> result = new ArrayList<>();
            Set<String> ids = new LinkedHashSet<>();
            for (Node node : list.getValue()) {
                ModerationPolicy policy = policy(node);
                if (!ids.add(policy.id())) {
                    throw error(node, "policy id '" + policy.id() + "' appears twice");
                }
                result.add(policy);
            }
            return result;
        }

        private ModerationPolicy policy(Node node) {
            Map<String, Node> f = mapping(node, "a policy", POLICY_KEYS);
            Node idNode = required(f, node, "id", "a policy");
            String id = scalar(idNode, "id");
            String what = "policy '" + id + "'";
            if (f.containsKey("question") == f.containsKey("questions")) {
                throw error(node, what + " needs exactly one of 'question' or 'questions'");
            }
            List<String> questions = f.containsKey("question")
                    ? List.of(scalar(f.get("question"), "question"))
                    : strings(f.get("questions"), "questions");
            Node flagNode = required(f, node, "flag", what);
            double flag = number(flagNode, "flag");
            double review = f.containsKey("review") ? number(f.get("review"), "review") : flag;
            String version = f.containsKey("version") ? scalar(f.get("version"), "version") : "1";
            PolicyAction action = PolicyAction.BLOCK;
            if (f.containsKey("action")) {
                try {
                    action = PolicyAction.parse(scalar(f.get("action"), "action"));
                } catch (IllegalArgumentException e) {
                    throw error(f.get("action"), what + ": " + e.getMessage());
                }
            }
            Set<String> tenants = f.containsKey("tenants")
                    ? new LinkedHashSet<>(strings(f.get("tenants"), "tenants"))
                    : Set.of();
            try {
                return new ModerationPolicy(id, version, questions, review, flag, action, tenants);
            } catch (IllegalArgumentException e) {
                throw error(node, e.getMessage());
            }
        }

        private Map<String, Node> mapping(Node node, String what, Set<String> allowed) {
            if (!(node instanceof MappingNode map)) {
                throw error(node, what + " must be a mapping (key: value)");
            }
            Map<String, Node> fields = new LinkedHashMap<>();
            for (NodeTuple tuple : map.getValue()) {
                String key = scalar(tuple.getKeyNode(), "key");
                if (!allowed.contains(key)) {
                    throw error(tuple.getKeyNode(), "unknown key '" + key + "' in " + what + ", expected one of "
                            + allowed.stream().sorted().toList());
                }
                fields.put(key, tuple.getValueNode());
            }
            return fields;
        }

        private Node required(Map<String, Node> fields, Node owner, String key, String what) {
            Node value = fields.get(key);
            if (value == null) {
                throw error(owner, what + " lacks '" + key + "'");
            }
            return value;
        }

        private String scalar(Node node, String key) {
            if (!(node instanceof ScalarNode s)) {
                throw error(node, "'" + key + "' must be a single value");
            }
            if (s.getValue().isBlank()) {
                throw error(node, "'" + key + "' must not be blank");
            }
            return s.getValue();
        }

        private double number(Node node, String key) {
            String text = scalar(node, key);
            try {
                double value = Double.parseDouble(text);
                if (!Double.isFinite(value)) {
                    throw new NumberFormatException();
                }
                return value;
            } catch (NumberFormatException e) {
                throw error(node, "'" + key + "' must be a number, got '" + text + "'");
            }
        }

        private List<String> strings(Node node, String key) {
            if (!(node instanceof SequenceNode list)) {
                throw error(node, "'" + key + "' must be a list");
            }
            if (list.getValue().isEmpty()) {
                throw error(node, "'" + key + "' must not be empty");
            }
            List<String> values = new ArrayList<>();
            for (Node item : list.getValue()) {
                values.add(scalar(item, key));
            }
            return values;
        }

        private PolicyFileException error(Node node, String message) {
            return new PolicyFileException(source, node.getStartMark().getLine() + 1, message);
        }
    }
}
