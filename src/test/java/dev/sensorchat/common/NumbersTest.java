package dev.sensorchat.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NumbersTest {

    @Test
    void readableWhateverTheValue() {
        assertEquals("21.4", Numbers.number(21.4));
        assertEquals("1000", Numbers.number(1000));
        assertEquals("-0.05", Numbers.number(-0.05));
        assertEquals("123456789012.34", Numbers.number(123_456_789_012.34), "plain below 1e15");
        assertEquals("1.798e+308", Numbers.number(Double.MAX_VALUE), "not 309 digits");
        assertEquals("-1e+15", Numbers.number(-1e15));
        assertEquals("∞", Numbers.number(Double.POSITIVE_INFINITY));
        assertEquals("-∞", Numbers.number(Double.NEGATIVE_INFINITY));
        assertEquals("NaN", Numbers.number(Double.NaN));
        assertEquals("12,345", Numbers.count(12_345));
    }

    @Test
    void exactForFilesAndTotal() {
        assertEquals("21.4", Numbers.exact(21.4));
        assertEquals("0.333333", Numbers.exact(1.0 / 3));
        assertEquals("1.7976931348623157E308", Numbers.exact(Double.MAX_VALUE));
        assertEquals("", Numbers.exact(Double.POSITIVE_INFINITY), "an empty cell, never an exception");
        assertEquals("", Numbers.exact(Double.NaN));
    }
}
