package dev.eveflink.model.demo.train;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Options of a training run.
 *
 * @param out run directory: {@code training/} (resumable state) and {@code model/} (published model)
 * @param spec the architecture
 * @param stage {@link Stage#VISION} (patch layer, projector and heads only) or {@link Stage#FULL}
 * @param steps planned total steps (the learning-rate schedule spans them)
 * @param stopAfter stop (with a checkpoint) once this step is done, e.g. to train in chunks; 0 = steps
 * @param batch images per step
 * @param seed seed of the initial weights and of the training images (world seed)
 * @param lr peak learning rate
 * @param warmup linear warm-up steps
 * @param weightDecay AdamW decoupled weight decay (matrices only)
 * @param clipNorm global gradient-norm clip
 * @param auxWeight weight of the training-only heads' losses in the full stage
 * @param checkpointEvery steps between checkpoints (0 = only at the end)
 * @param logEvery steps between progress lines
 * @param resume continue from {@code out/training} if it exists
 * @param init start from the weights of this training directory (another run's, e.g. the vision stage), or null
 */
public record TrainerOptions(Path out, DemoModelSpec spec, Stage stage, int steps, int stopAfter, int batch,
        long seed, float lr, int warmup, float weightDecay, float clipNorm, float auxWeight, int checkpointEvery,
        int logEvery, boolean resume, Path init) {

    /** Training stages of EVE's recipe in miniature. */
    public enum Stage {
        VISION, FULL;

        static Stage parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    public TrainerOptions {
        if (steps <= 0 || batch <= 0 || logEvery <= 0 || checkpointEvery < 0 || warmup < 0 || stopAfter < 0) {
            throw new IllegalArgumentException("steps, batch and log-every must be > 0; checkpoint-every, warmup"
                    + " and stop-after >= 0");
        }
        if (!(lr > 0) || !(clipNorm > 0) || auxWeight < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("lr and clip must be > 0, aux weight and weight decay >= 0");
        }
    }

    /** Defaults for {@code out}: the demo size, full stage, 1000 steps of 8 images. */
    public static TrainerOptions defaults(Path out) {
        return new TrainerOptions(out, DemoModelSpec.DEMO, Stage.FULL, 1000, 0, 8, 1, 1e-3f, 100, 0.01f, 1f,
                0.1f, 200, 10, false, null);
    }

    /** The last step this invocation runs. */
    public int lastStep() {
        return stopAfter > 0 ? Math.min(stopAfter, steps) : steps;
    }

    public TrainerOptions withSteps(int steps, int stopAfter) {
        return new TrainerOptions(out, spec, stage, steps, stopAfter, batch, seed, lr, warmup, weightDecay, clipNorm,
                auxWeight, checkpointEvery, logEvery, resume, init);
    }

    public TrainerOptions withResume(boolean resume) {
        return new TrainerOptions(out, spec, stage, steps, stopAfter, batch, seed, lr, warmup, weightDecay, clipNorm,
                auxWeight, checkpointEvery, logEvery, resume, init);
    }

    /** Learning rate at 0-based step {@code s}: linear warm-up, then cosine down to 10% of the peak. */
    public float learningRate(int s) {
        if (s < warmup) {
            return lr * (s + 1) / warmup;
        }
        double progress = Math.min(1.0, (double) (s - warmup) / Math.max(1, steps - warmup));
        return (float) (lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress))));
    }

    public static final String USAGE = String.join("\n",
            "usage: DemoTrainer --out DIR [options]",
            "  --size demo|tiny       architecture (default demo: hidden 128, 4 layers, PEL 128, 73 visual tokens)",
            "  --stage vision|full    vision-first stage (PEL+projector+heads) or full training (default full)",
            "  --steps N              planned total steps; the LR schedule spans them (default 1000)",
            "  --stop-after K         stop after step K with a checkpoint (train in chunks; default: run to N)",
            "  --batch B              images per step, each packed with all its questions and caption (default 8)",
            "  --seed S               weights and training-image seed (default 1)",
            "  --lr X --warmup W      peak learning rate and warm-up steps (default 1e-3, 100)",
            "  --weight-decay X --clip X --aux-weight X   (default 0.01, 1.0, 0.1)",
            "  --checkpoint-every N   steps between checkpoints (default 200; 0 = end only)",
            "  --log-every N          steps between progress lines (default 10)",
            "  --resume               continue from OUT/training exactly (weights, optimizer, step)",
            "  --init DIR             start from another run's OUT/training weights (e.g. after --stage vision)");

    /** Parses command-line options. */
    public static TrainerOptions parse(String[] args) {
        Path out = null;
        DemoModelSpec spec = DemoModelSpec.DEMO;
        Stage stage = Stage.FULL;
        int steps = 1000;
        int stopAfter = 0;
        int batch = 8;
        long seed = 1;
        float lr = 1e-3f;
        int warmup = 100;
        float wd = 0.01f;
        float clip = 1f;
        float aux = 0.1f;
        int every = 200;
        int log = 10;
        boolean resume = false;
        Path init = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--resume")) {
                resume = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value\n" + USAGE);
            }
            String v = args[++i];
            switch (a) {
                case "--out" -> out = Path.of(v);
                case "--size" -> spec = switch (v) {
                    case "demo" -> DemoModelSpec.DEMO;
                    case "tiny" -> DemoModelSpec.TINY;
                    default -> throw new IllegalArgumentException("unknown --size " + v + " (demo or tiny)");
                };
                case "--stage" -> stage = Stage.parse(v);
                case "--steps" -> steps = Integer.parseInt(v);
                case "--stop-after" -> stopAfter = Integer.parseInt(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--lr" -> lr = Float.parseFloat(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--weight-decay" -> wd = Float.parseFloat(v);
                case "--clip" -> clip = Float.parseFloat(v);
                case "--aux-weight" -> aux = Float.parseFloat(v);
                case "--checkpoint-every" -> every = Integer.parseInt(v);
                case "--log-every" -> log = Integer.parseInt(v);
                case "--init" -> init = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out is required\n" + USAGE);
        }
        return new TrainerOptions(out, spec, stage, steps, stopAfter, batch, seed, lr, warmup, wd, clip, aux, every,
                log, resume, init);
    }
}
