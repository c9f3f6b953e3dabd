package io.sparklstm.jobs.spark;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CausesTest {

    @Test
    void theChainOutermostFirst() {
        IllegalStateException inner = new IllegalStateException("inner");
        RuntimeException middle = new RuntimeException("middle", inner);
        Exception outer = new Exception("outer", middle);
        assertEquals(List.of(outer, middle, inner), Causes.of(outer).toList());
    }

    @Test
    void aCauseThatRefersBackIntoTheChainEndsIt() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b); // a loop a -> b -> a, which Throwable allows
        assertEquals(List.of(a, b), Causes.of(a).toList());
    }
}
