package dev.eveflink.operators.testutils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads the kernel's table of listening TCP sockets (Linux {@code /proc/net/tcp{,6}}). */
public final class ListeningSockets {

    /** State code of a listening socket in /proc/net/tcp. */
    private static final String LISTEN = "0A";

    private ListeningSockets() {}

    /**
     * The local addresses (hex, as the kernel prints them, e.g. {@code 0100007F} for 127.0.0.1) of
     * every listening TCP socket on {@code port}, IPv4 and IPv6.
     */
    public static List<String> localAddressesListeningOn(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path)) {
                String[] cols = line.trim().split("\\s+");
                if (cols.length < 4 || !cols[1].contains(":")) {
                    continue;
                }
                String[] local = cols[1].split(":");
                if (local[1].equals(hexPort) && cols[3].equals(LISTEN)) {
                    addresses.add(local[0]);
                }
            }
        }
        return addresses;
    }

    /** True for 127.0.0.1 in /proc/net/tcp form, and for ::1 or ::ffff:127.0.0.1 in tcp6 form. */
    public static boolean isLoopback(String hexAddress) {
        return hexAddress.equals("0100007F")
                || hexAddress.equals("00000000000000000000000001000000")
                || hexAddress.equals("0000000000000000FFFF00000100007F");
    }
}
