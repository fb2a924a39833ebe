package dev.eveflink.model.weights;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A checkpoint split over shards by an HF index file ({@code model.safetensors.index.json} or
 * {@code pytorch_model.bin.index.json}: {@code {"weight_map": {name: shard file}}}). Every shard the
 * index names must exist, and every name must be in its shard; either failure names the file.
 */
final class ShardedCheckpoint implements Checkpoint {
    private final Map<String, Checkpoint> owner; // tensor name -> the shard holding it, in index order
    private final List<Checkpoint> shards;

    private ShardedCheckpoint(Map<String, Checkpoint> owner, List<Checkpoint> shards) {
        this.owner = owner;
        this.shards = shards;
    }

    /**
     * Opens every shard an index names.
     *
     * @param openShard opens one shard file (safetensors or torch zip)
     */
    static ShardedCheckpoint open(Path indexFile, Function<Path, Checkpoint> openShard) {
        Map<String, String> weightMap = readWeightMap(indexFile);
        Path dir = indexFile.toAbsolutePath().getParent();
        Set<String> shardNames = new TreeSet<>(weightMap.values());
        for (String shard : shardNames) {
            Path p = dir.resolve(shard).normalize();
            if (!p.startsWith(dir) || !Files.isRegularFile(p)) {
                throw new CheckpointException(indexFile + ": names shard '" + shard + "' which does not exist in " + dir);
            }
        }
        Map<String, Checkpoint> opened = new LinkedHashMap<>();
        try {
            for (String shard : shardNames) {
                opened.put(shard, openShard.apply(dir.resolve(shard)));
            }
            Map<String, Checkpoint> owner = new LinkedHashMap<>();
            weightMap.forEach((name, shard) -> {
                Checkpoint c = opened.get(shard);
                if (!c.names().contains(name)) {
                    throw new CheckpointException(indexFile + ": tensor '" + name + "' is mapped to shard '" + shard
                            + "' but that shard does not contain it");
                }
                owner.put(name, c);
            });
            return new ShardedCheckpoint(Collections.unmodifiableMap(owner), new ArrayList<>(opened.values()));
        } catch (RuntimeException e) {
            opened.values().forEach(Checkpoint::close);
            throw e;
        }
    }

    private static Map<String, String> readWeightMap(Path indexFile) {
        try {
            JsonElement root = JsonParser.parseString(Files.readString(indexFile, StandardCharsets.UTF_8));
            JsonObject map = root.isJsonObject() ? root.getAsJsonObject().getAsJsonObject("weight_map") : null;
            if (map == null) {
                throw new CheckpointException(indexFile + ": no \"weight_map\" object");
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : map.entrySet()) {
                out.put(e.getKey(), e.getValue().getAsString());
            }
            return out;
        } catch (NoSuchFileException e) {
            throw new CheckpointException(indexFile + ": file not found", e);
        } catch (IOException e) {
            throw new CheckpointException(indexFile + ": cannot read: " + e.getMessage(), e);
        } catch (CheckpointException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CheckpointException(indexFile + ": not a valid index file: " + e.getMessage(), e);
        }
    }

    @Override
    public Set<String> names() {
        return owner.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        return shardOf(name).info(name);
    }

    @Override
    public StoredTensor tensor(String name) {
        return shardOf(name).tensor(name);
    }

    private Checkpoint shardOf(String name) {
        Checkpoint c = owner.get(name);
        if (c == null) {
            throw new CheckpointException("no tensor named '" + name + "' in any shard");
        }
        return c;
    }

    @Override
    public void close() {
        shards.forEach(Checkpoint::close);
    }
}
