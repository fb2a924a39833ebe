package dev.eveflink.operators.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.operators.testutils.ListeningSockets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

class LocalKafkaBrokerITCase {

    @Test
    void producesAndConsumesAndListensOnLoopbackOnly() throws Exception {
        Path logDir;
        try (LocalKafkaBroker kafka = LocalKafkaBroker.start()) {
            logDir = kafka.logDir();
            assertThat(logDir).isDirectory();

            kafka.createTopic("t", 2);
            RecordMetadata a = kafka.produce("t", bytes("k1"), bytes("v1"));
            RecordMetadata b = kafka.produce("t", bytes("k2"), bytes("v2"));
            List<ConsumerRecord<byte[], byte[]>> all = kafka.consumeAll("t");
            assertThat(all)
                    .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder("v1", "v2");
            assertThat(all)
                    .extracting(r -> r.partition() + "@" + r.offset())
                    .containsExactlyInAnyOrder(
                            a.partition() + "@" + a.offset(), b.partition() + "@" + b.offset());

            for (int port : List.of(kafka.port(), kafka.controllerPort())) {
                List<String> bound = ListeningSockets.localAddressesListeningOn(port);
                assertThat(bound).as("listening sockets on port %s", port).isNotEmpty();
                assertThat(bound)
                        .as("port %s bound to loopback only", port)
                        .allMatch(ListeningSockets::isLoopback);
                assertThat(LocalKafkaBroker.canConnect(InetAddress.getLoopbackAddress(), port))
                        .isTrue();
                for (InetAddress external : nonLoopbackIpv4Addresses()) {
                    assertThat(LocalKafkaBroker.canConnect(external, port))
                            .as("connect to %s:%s", external, port)
                            .isFalse();
                }
            }
        }
        assertThat(Files.exists(logDir)).as("log dir removed").isFalse();
    }

    private static List<InetAddress> nonLoopbackIpv4Addresses() throws Exception {
        List<InetAddress> result = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    result.add(address);
                }
            }
        }
        return result;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
