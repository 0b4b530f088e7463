package dev.sensorchat.localhost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerJvmOptionsTest {

    @Test
    void azureWorkerDefaultsComeFirstAndJavaOptsAfterThemSoItsOptionsWin() {
        HostSettings settings = new HostSettings(Map.of("JAVA_OPTS", "  -XX:TieredStopAtLevel=4   -Xmx512m "), 7071);
        assertEquals(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-noverify", "-Djava.net.preferIPv4Stack=true",
                "-XX:TieredStopAtLevel=4", "-Xmx512m"), LocalHostCli.workerJvmOptions(settings));
    }

    @Test
    void withoutJavaOptsTheWorkerRunsAsAzureStartsIt() {
        assertEquals(LocalHostCli.AZURE_WORKER_JVM_OPTIONS, LocalHostCli.workerJvmOptions(new HostSettings(Map.of("JAVA_OPTS", " "), 7071)));
        assertEquals(LocalHostCli.AZURE_WORKER_JVM_OPTIONS, LocalHostCli.workerJvmOptions(new HostSettings(Map.of(), 7071)));
    }
}
