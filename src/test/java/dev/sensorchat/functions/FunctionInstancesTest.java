package dev.sensorchat.functions;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class FunctionInstancesTest {

    @Test
    void theWorkerFindsTheAppsInjectorAsAService() {
        FunctionInstanceInjector found = ServiceLoader.load(FunctionInstanceInjector.class).findFirst().orElseThrow();
        assertInstanceOf(FunctionInstances.class, found);
    }

    @Test
    void oneInstancePerFunctionClassServesEveryInvocation() {
        FunctionInstances instances = new FunctionInstances();
        HealthFunction first = instances.getInstance(HealthFunction.class);
        assertSame(first, instances.getInstance(HealthFunction.class));
    }

    /** Not a function class: it has no no-argument constructor. */
    static final class NeedsAnArgument {
        NeedsAnArgument(String argument) {
        }
    }

    @Test
    void aClassWithoutANoArgumentConstructorIsAClearError() {
        FunctionInstances instances = new FunctionInstances();
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> instances.getInstance(NeedsAnArgument.class));
        org.junit.jupiter.api.Assertions.assertTrue(error.getMessage().contains("no-argument constructor"), error.getMessage());
    }
}
