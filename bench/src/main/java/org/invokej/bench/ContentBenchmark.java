package org.invokej.bench;

import org.invokej.core.content.Image;
import org.invokej.core.content.ImageCategory;
import org.invokej.core.content.ImageCodec;
import org.invokej.core.content.ImageOrigin;
import org.invokej.core.store.Transactions;
import org.invokej.persistence.Database;
import org.invokej.persistence.SqlBoardRepository;
import org.invokej.persistence.SqlImageRepository;
import org.invokej.persistence.SqlTransactions;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;

/**
 * Images: upload throughput over HTTP (512x512 PNGs, one client and four at once) against the codec work
 * alone (decode, re-encode with text chunks, thumbnail) in the same run; and the latency of the first
 * page of 100 images of a board holding 10,000 images against one holding 10, measured alternately.
 */
public final class ContentBenchmark {

    private static final int BIG = 10_000;
    private static final int SMALL = 10;

    public static void main(String[] args) throws Exception {
        int uploads = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int listings = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        byte[] png = picture(512, 512);

        double codec = codecPerSecond(png, uploads);
        Path root = Files.createTempDirectory("invokej-bench-content");
        String big = UUID.randomUUID().toString();
        String small = UUID.randomUUID().toString();
        long populate = populate(root, big, small);

        try (TestServer server = TestServer.start(root, Map.of("multiuser", "false", "log_level", "warning"))) {
            TestClient client = server.client();
            uploadPerSecond(client, png, uploads / 4, 1);
            double single = uploadPerSecond(client, png, uploads, 1);
            double four = uploadPerSecond(client, png, uploads, 4);

            String bigPage = "/api/v1/images/?board_id=" + big + "&offset=0&limit=100";
            String smallPage = "/api/v1/images/?board_id=" + small + "&offset=0&limit=100";
            check(client.get(bigPage), BIG);
            check(client.get(smallPage), SMALL);
            List<Long> bigTimes = new ArrayList<>();
            List<Long> smallTimes = new ArrayList<>();
            for (int i = 0; i < listings / 4; i++) {
                client.get(bigPage);
                client.get(smallPage);
            }
            for (int i = 0; i < listings; i++) {
                bigTimes.add(time(client, bigPage));
                smallTimes.add(time(client, smallPage));
            }
            String bigSmallPage = "/api/v1/images/?board_id=" + big + "&offset=0&limit=" + SMALL;
            List<Long> bigSmallTimes = new ArrayList<>();
            for (int i = 0; i < listings / 4; i++) {
                bigSmallTimes.add(time(client, bigSmallPage));
            }
            List<Long> boardsTimes = new ArrayList<>();
            for (int i = 0; i < listings / 4; i++) {
                boardsTimes.add(time(client, "/api/v1/boards/?all=true"));
            }

            System.out.printf("uploads per run: %d, listing requests per board: %d, populating %d rows: %d ms%n",
                    uploads, listings, BIG + SMALL, populate);
            System.out.printf("codec alone (decode, PNG + text, thumbnail):   %7.1f images/s%n", codec);
            System.out.printf("upload over HTTP, 1 client:                    %7.1f images/s  (%.2f of codec alone)%n", single, single / codec);
            System.out.printf("upload over HTTP, 4 clients:                   %7.1f images/s  (%.2f of codec alone)%n", four, four / codec);
            System.out.printf("first page of 100, board of %5d: p50 %6.2f ms  p99 %6.2f ms%n", SMALL, ms(smallTimes, 50), ms(smallTimes, 99));
            System.out.printf("first page of 100, board of %5d: p50 %6.2f ms  p99 %6.2f ms%n", BIG, ms(bigTimes, 50), ms(bigTimes, 99));
            System.out.printf("ratio %d / %d images: p50 %.2fx  p99 %.2fx%n", BIG, SMALL,
                    ms(bigTimes, 50) / ms(smallTimes, 50), ms(bigTimes, 99) / ms(smallTimes, 99));
            System.out.printf("first page of %d, board of %5d: p50 %6.2f ms  p99 %6.2f ms (same rows returned as the small board)%n",
                    SMALL, BIG, ms(bigSmallTimes, 50), ms(bigSmallTimes, 99));
            System.out.printf("board listing (all=true, counts and covers): p50 %6.2f ms  p99 %6.2f ms%n",
                    ms(boardsTimes, 50), ms(boardsTimes, 99));
        }
    }

    /** A 512x512 picture with smooth colour and some noise, as generated images are (not a flat fill PNG compresses away). */
    private static byte[] picture(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int noise = random.nextInt(24);
                image.setRGB(x, y, ((x / 2 + noise) & 0xff) << 16 | ((y / 2 + noise) & 0xff) << 8 | ((x + y) / 4 & 0xff));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static double codecPerSecond(byte[] png, int count) {
        for (int i = 0; i < count / 4; i++) {
            codec(png);
        }
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            codec(png);
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static void codec(byte[] png) {
        ImageCodec.Decoded decoded = ImageCodec.decode(png, Long.MAX_VALUE);
        ImageCodec.png(decoded.pixels(), Map.of("invokeai_metadata", "{}"));
        ImageCodec.thumbnail(decoded.pixels());
    }

    private static double uploadPerSecond(TestClient client, byte[] png, int count, int threads) throws Exception {
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < count / threads; i++) {
                        TestResponse response = TestImages.upload(client, png, "image/png",
                                "image_category=general&is_intermediate=false", Map.of());
                        if (response.status() != 201) {
                            throw new IllegalStateException("upload failed: " + response);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        return (count / threads * threads) / ((System.nanoTime() - start) / 1e9);
    }

    /** Rows straight through the repositories (no files: listings do not read them), in transactions of 1,000. */
    private static long populate(Path root, String big, String small) {
        long start = System.nanoTime();
        try (Database database = Database.open(root.resolve("databases/invokeai.db"), Clock.systemUTC())) {
            Transactions transactions = new SqlTransactions(database);
            SqlBoardRepository boards = new SqlBoardRepository();
            SqlImageRepository images = new SqlImageRepository();
            transactions.write(tx -> {
                boards.insert(tx, big, "ten thousand", "system");
                boards.insert(tx, small, "ten", "system");
                return null;
            });
            int done = 0;
            while (done < BIG + SMALL) {
                int from = done;
                done = Math.min(BIG + SMALL, done + 1000);
                int to = done;
                transactions.write(tx -> {
                    for (int i = from; i < to; i++) {
                        images.insert(tx, new Image(UUID.randomUUID() + ".png", ImageOrigin.INTERNAL, ImageCategory.GENERAL, 512, 512,
                                null, null, false, i % 50 == 0, true, "", "system", i < BIG ? big : small, null, null),
                                "{\"positive_prompt\":\"image " + i + "\"}");
                    }
                    return null;
                });
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void check(TestResponse response, int total) {
        if (response.status() != 200 || response.json().path("total").asInt() != total) {
            throw new IllegalStateException("unexpected listing: " + response);
        }
    }

    private static long time(TestClient client, String path) {
        long start = System.nanoTime();
        TestResponse response = client.get(path);
        long elapsed = System.nanoTime() - start;
        if (response.status() != 200) {
            throw new IllegalStateException(path + ": " + response);
        }
        return elapsed;
    }

    private static double ms(List<Long> nanos, int percentile) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

}
