package org.invokej.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class TorchRandomTest {

    @Test
    void mersenneTwisterMatchesTheReferenceStream() {
        // std::mt19937 seeded 5489 (its default): the 10000th output is 4123659995 (C++ standard).
        TorchRandom random = new TorchRandom(5489);
        long value = 0;
        for (int i = 0; i < 10000; i++) {
            value = random.nextUnsignedInt();
        }
        assertEquals(4123659995L, value);
    }

    @Test
    void fewerThanSixteenValuesMatchTorchRandnForSeedZero() {
        // torch.manual_seed(0); torch.randn(2, 3) -> [[1.5410, -0.2934, -2.1788], [0.5684, -1.0845, -1.3986]]
        float[] expected = {1.5410f, -0.2934f, -2.1788f, 0.5684f, -1.0845f, -1.3986f};
        assertArrayEquals(expected, new TorchRandom(0).randn(6), 1e-4f);
        // torch.manual_seed(0); torch.randn(8) continues 0.4033, 0.8380
        float[] eight = new TorchRandom(0).randn(8);
        assertEquals(0.4033f, eight[6], 1e-4f);
        assertEquals(0.8380f, eight[7], 1e-4f);
    }

    @Test
    void sixteenOrMoreValuesUseTheBlockedBoxMullerOfTorch() {
        // torch.manual_seed(0); torch.randn(4, 4)
        float[] expected = {
            -1.1258f, -1.1524f, -0.2506f, -0.4339f,
            0.8487f, 0.6920f, -0.3160f, -2.1152f,
            0.3223f, -1.2633f, 0.3500f, 0.3081f,
            0.1198f, 1.2377f, 1.1168f, -0.2473f};
        assertArrayEquals(expected, new TorchRandom(0).randn(16), 1e-4f);
    }

    @Test
    void aCountThatIsNoMultipleOfSixteenRedrawsTheLastBlock() {
        float[] twenty = new TorchRandom(0).randn(20);
        float[] sixteen = new TorchRandom(0).randn(16);
        // the first full block is the same as for 16 values; values 4..15 are then overwritten
        for (int i = 0; i < 4; i++) {
            assertEquals(sixteen[i], twenty[i]);
        }
        assertNotEquals(sixteen[15], twenty[15]);
    }

    @Test
    void seedsAreWrappedModulo2To32() {
        assertArrayEquals(new TorchRandom(7).randn(32), new TorchRandom(7 + (1L << 32)).randn(32));
        assertArrayEquals(new TorchRandom(0xFFFFFFFFL).randn(32), new TorchRandom(-1).randn(32));
    }

    @Test
    void theNoiseLooksStandardNormal() {
        float[] values = new TorchRandom(1234).randn(4 * 64 * 64);
        double sum = 0;
        double squares = 0;
        for (float v : values) {
            sum += v;
            squares += v * v;
        }
        double mean = sum / values.length;
        double variance = squares / values.length - mean * mean;
        assertEquals(0, mean, 0.05);
        assertEquals(1, variance, 0.05);
    }
}
