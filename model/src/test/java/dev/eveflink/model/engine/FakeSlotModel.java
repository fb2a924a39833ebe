package dev.eveflink.model.engine;

import dev.eveflink.model.Prompt;
import dev.eveflink.model.SharedPrompt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * A scripted {@link SlotModel}: a prompt containing {@code [SCRIPT, n, t]} makes the model emit token
 * t n times, then EOS; a prompt containing {@link #POISON} fails every prefill it is part of. Records
 * every call and checks the scheduler's side of the contract (prefill into free slots, decode over
 * exactly the occupied prefix 0..n-1, the fed token is the one last emitted, no slot past
 * maxPositions); violations are recorded, not thrown, so that tests see them.
 */
final class FakeSlotModel implements SlotModel {
    static final int SCRIPT = 60;
    static final int POISON = 61;
    /** A prompt containing this id is refused by {@link #promptLength}. */
    static final int UNMEASURABLE = 62;

    private final int slots;
    private final int maxPositions;
    private final VirtualClock clock;
    private final SlotState[] state;
    final List<String> calls = new ArrayList<>();
    final List<int[]> prefills = new ArrayList<>();
    final List<Integer> decodeSizes = new ArrayList<>();
    /** Per scoreShared call: the questions of each group. */
    final List<List<Integer>> scoreCalls = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    private int failNextPrefills;
    private int failNextDecodes;
    private int failNextScores;
    private Supplier<? extends Throwable> decodeThrows;
    private long prefillCostNanos;
    private long decodeCostNanos;
    volatile boolean closed;
    final java.util.concurrent.CountDownLatch closedLatch = new java.util.concurrent.CountDownLatch(1);
    volatile String createdOn;
    private volatile java.util.concurrent.CountDownLatch decodeEntered;
    private volatile java.util.concurrent.CountDownLatch decodeGate;

    private static final class SlotState {
        int count;
        int token;
        int emitted; // tokens whose logits were returned
        int length; // cache positions used
    }

    FakeSlotModel(int slots, int maxPositions, VirtualClock clock) {
        this.slots = slots;
        this.maxPositions = maxPositions;
        this.clock = clock;
        this.state = new SlotState[slots];
    }

    /** A prompt of {@code length} ids scripted to emit {@code token} {@code count} times, then EOS. */
    static Prompt prompt(int count, int token, int length) {
        if (length < 4) {
            throw new IllegalArgumentException("scripted prompts need >= 4 ids");
        }
        int[] ids = new int[length];
        Arrays.fill(ids, FakeTokenizer.FILLER);
        ids[0] = FakeTokenizer.BOS;
        ids[1] = SCRIPT;
        ids[2] = count;
        ids[3] = token;
        return Prompt.textOnly(ids);
    }

    static Prompt poisoned(int length) {
        Prompt p = prompt(1, 5, length);
        int[] ids = p.ids();
        ids[length - 1] = POISON;
        return Prompt.textOnly(ids);
    }

    synchronized void failNextPrefills(int n) {
        failNextPrefills = n;
    }

    synchronized void failNextScores(int n) {
        failNextScores = n;
    }

    synchronized void failNextDecodes(int n) {
        failNextDecodes = n;
    }

    synchronized void throwOnDecode(Supplier<? extends Throwable> t) {
        decodeThrows = t;
    }

    /** Virtual time each call takes. */
    synchronized void cost(long prefillNanos, long decodeNanos) {
        this.prefillCostNanos = prefillNanos;
        this.decodeCostNanos = decodeNanos;
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public int maxPositions() {
        return maxPositions;
    }

    @Override
    public int promptLength(Prompt prompt) {
        if (Arrays.stream(prompt.ids()).anyMatch(id -> id == UNMEASURABLE)) {
            throw new IllegalArgumentException("simulated: image grid the model cannot take");
        }
        int length = prompt.ids().length;
        if (prompt.image() != null) {
            length += prompt.image().height() / 16 * (prompt.image().width() / 16) - 1;
        }
        return length;
    }

    @Override
    public synchronized float[][] prefill(int[] slotIds, List<Prompt> prompts) {
        calls.add("prefill " + Arrays.toString(slotIds));
        prefills.add(slotIds.clone());
        clock.advance(java.time.Duration.ofNanos(prefillCostNanos));
        if (failNextPrefills > 0) {
            failNextPrefills--;
            throw new IllegalStateException("simulated out of device memory");
        }
        for (Prompt p : prompts) {
            if (Arrays.stream(p.ids()).anyMatch(id -> id == POISON)) {
                throw new IllegalStateException("simulated failure on a poisoned prompt");
            }
        }
        float[][] logits = new float[slotIds.length][];
        for (int i = 0; i < slotIds.length; i++) {
            int slot = slotIds[i];
            if (state[slot] != null) {
                violations.add("prefill into occupied slot " + slot);
            }
            SlotState s = new SlotState();
            int[] ids = prompts.get(i).ids();
            for (int k = 0; k + 2 < ids.length; k++) {
                if (ids[k] == SCRIPT) {
                    s.count = ids[k + 1];
                    s.token = ids[k + 2];
                    break;
                }
            }
            s.length = promptLength(prompts.get(i));
            if (s.length > maxPositions) {
                violations.add("prefill of " + s.length + " positions");
            }
            state[slot] = s;
            logits[i] = next(s);
        }
        return logits;
    }

    /**
     * Scores each suffix as its full prompt's first token: the scripted token (e.g.
     * {@link FakeTokenizer#YES}) when the prompt has a script with a count above 0, else EOS. Checks
     * that no slot is touched and that every prompt fits.
     */
    @Override
    public synchronized float[][] scoreShared(List<SharedPrompt> groups) {
        List<Integer> sizes = new ArrayList<>();
        for (SharedPrompt g : groups) {
            sizes.add(g.size());
        }
        calls.add("score " + sizes);
        scoreCalls.add(sizes);
        clock.advance(java.time.Duration.ofNanos(prefillCostNanos));
        if (failNextScores > 0) {
            failNextScores--;
            throw new IllegalStateException("simulated out of device memory while scoring");
        }
        List<float[]> rows = new ArrayList<>();
        for (SharedPrompt g : groups) {
            for (int i = 0; i < g.size(); i++) {
                Prompt full = g.full(i);
                int[] ids = full.ids();
                if (Arrays.stream(ids).anyMatch(id -> id == POISON)) {
                    throw new IllegalStateException("simulated failure on a poisoned prompt");
                }
                if (promptLength(full) > maxPositions) {
                    violations.add("scoring a prompt of " + promptLength(full) + " positions");
                }
                SlotState s = new SlotState();
                for (int k = 0; k + 2 < ids.length; k++) {
                    if (ids[k] == SCRIPT) {
                        s.count = ids[k + 1];
                        s.token = ids[k + 2];
                        break;
                    }
                }
                rows.add(next(s));
            }
        }
        return rows.toArray(new float[0][]);
    }

    /** The next decode counts down {@code entered}, then blocks until {@code gate} opens. */
    void gateNextDecode(java.util.concurrent.CountDownLatch entered, java.util.concurrent.CountDownLatch gate) {
        decodeEntered = entered;
        decodeGate = gate;
    }

    private volatile Runnable onNextDecode;

    /** Runs {@code hook} on the calling (worker) thread at the start of the next decode. */
    void runOnNextDecode(Runnable hook) {
        onNextDecode = hook;
    }

    @Override
    public float[][] decode(int[] tokens) {
        Runnable hook = onNextDecode;
        if (hook != null) {
            onNextDecode = null;
            hook.run();
        }
        java.util.concurrent.CountDownLatch gate = decodeGate;
        if (gate != null) {
            decodeGate = null;
            decodeEntered.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return decodeUngated(tokens);
    }

    private synchronized float[][] decodeUngated(int[] tokens) {
        calls.add("decode " + tokens.length);
        decodeSizes.add(tokens.length);
        clock.advance(java.time.Duration.ofNanos(decodeCostNanos));
        if (decodeThrows != null) {
            Throwable t = decodeThrows.get();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) t;
        }
        if (failNextDecodes > 0) {
            failNextDecodes--;
            throw new IllegalStateException("simulated decode failure");
        }
        for (int slot = 0; slot < slots; slot++) {
            boolean occupied = state[slot] != null;
            if (occupied != slot < tokens.length) {
                violations.add("decode of " + tokens.length + " but slot " + slot + " occupied=" + occupied);
            }
        }
        float[][] logits = new float[tokens.length][];
        for (int slot = 0; slot < tokens.length; slot++) {
            SlotState s = state[slot];
            if (s == null) {
                continue;
            }
            int expected = s.emitted <= s.count ? s.token : FakeTokenizer.EOS;
            if (tokens[slot] != expected) {
                violations.add("slot " + slot + " fed " + tokens[slot] + ", last emitted " + expected);
            }
            s.length++;
            if (s.length > maxPositions) {
                violations.add("slot " + slot + " past maxPositions: " + s.length);
            }
            logits[slot] = next(s);
        }
        return logits;
    }

    private static float[] next(SlotState s) {
        float[] logits = new float[FakeTokenizer.VOCAB];
        logits[s.emitted < s.count ? s.token : FakeTokenizer.EOS] = 20f;
        s.emitted++;
        return logits;
    }

    @Override
    public synchronized void move(int from, int to) {
        calls.add("move " + from + "->" + to);
        if (state[from] == null || state[to] != null) {
            violations.add("move " + from + "->" + to + " from empty or into occupied slot");
        }
        state[to] = state[from];
        state[from] = null;
    }

    @Override
    public synchronized void release(int slot) {
        calls.add("release " + slot);
        state[slot] = null;
    }

    synchronized int occupied() {
        return (int) Arrays.stream(state).filter(s -> s != null).count();
    }

    synchronized List<String> takeCalls() {
        List<String> taken = new ArrayList<>(calls);
        calls.clear();
        return taken;
    }

    @Override
    public String device() {
        return "fake()";
    }

    @Override
    public synchronized void close() {
        closed = true;
        closedLatch.countDown();
    }
}
