package org.invokej.adoption;

import org.invokej.launcher.ConfigLoader;
import org.invokej.launcher.InvokeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every key InvokeAI 6.14's {@code invokeai.yaml} may hold (its {@code InvokeAIAppConfig} fields) is
 * either used or ignored with exactly one warning, values InvokeAI accepts never stop the start, and
 * the file is only read.
 */
class InvokeAiSettingsTest {

    /** InvokeAI's settings that InvokeJ reads itself, with values InvokeAI accepts. */
    private static final String USED = """
            host: 0.0.0.0
            port: 9191
            models_dir: models
            db_dir: databases
            outputs_dir: outputs
            log_level: warning
            log_handlers: [console]
            max_queue_size: 500
            session_queue_mode: FIFO
            multiuser: true
            strict_password_checking: true
            base_url: /invoke
            allow_origins: []
            allow_credentials: true
            allow_methods: ['*']
            allow_headers: ['*']
            ssl_certfile: null
            ssl_keyfile: null
            """;

    /** The rest of InvokeAIAppConfig's fields (6.14), with InvokeAI's defaults or typical values. */
    private static final String UNUSED = """
            legacy_models_yaml_path: null
            forwarded_allow_ips: 127.0.0.1
            log_tokenization: false
            patchmatch: true
            convert_cache_dir: models/.convert_cache
            download_cache_dir: models/.download_cache
            legacy_conf_dir: configs
            image_subfolder_strategy: flat
            custom_nodes_dir: nodes
            style_presets_dir: style_presets
            workflow_thumbnails_dir: workflow_thumbnails
            log_format: color
            log_sql: false
            log_level_network: warning
            use_memory_db: false
            dev_reload: false
            profile_graphs: false
            profile_prefix: null
            profiles_dir: profiles
            max_cache_ram_gb: 12.5
            max_cache_vram_gb: null
            log_memory_usage: false
            model_cache_keep_alive_min: 0
            device_working_mem_gb: 3
            enable_partial_loading: false
            smart_partial_loading: false
            keep_ram_copy_of_weights: true
            ram: null
            vram: null
            lazy_offload: true
            pytorch_cuda_alloc_conf: backend:cudaMallocAsync
            precision: auto
            sequential_guidance: false
            attention_type: auto
            attention_slice_size: auto
            force_tiled_decode: false
            pil_compress_level: 1
            clear_queue_on_startup: false
            max_queue_history: 1000
            allow_nodes: null
            deny_nodes: null
            node_cache_size: 512
            remote_api_tokens: [{url_regex: civitai.com, token: abc}]
            scan_models_on_startup: false
            unsafe_disable_picklescan: false
            allow_unknown_models: true
            external_alibabacloud_api_key: null
            external_alibabacloud_base_url: null
            external_gemini_api_key: null
            external_openai_api_key: null
            external_gemini_base_url: null
            external_openai_base_url: null
            external_seedream_api_key: null
            external_seedream_base_url: null
            """;

    /** Values InvokeAI accepts for settings InvokeJ has, which InvokeJ cannot honour. */
    private static final String INVOKEAI_ONLY_VALUES = """
            device: mps
            hashing_algorithm: blake2b
            """;

    @TempDir
    Path root;

    @Test
    void everyInvokeAiKeyIsUsedOrIgnoredWithOneWarningAndTheFileIsOnlyRead() throws Exception {
        Path file = root.resolve("invokeai.yaml");
        Files.writeString(file, "# Internal metadata - do not edit:\nschema_version: 4.0.3\n\n"
                + "# Put user settings here - see https://invoke.ai/configuration/invokeai-yaml/:\n"
                + USED + UNUSED + INVOKEAI_ONLY_VALUES);
        byte[] before = Files.readAllBytes(file);
        List<String> warnings = new ArrayList<>();

        InvokeConfig config = new ConfigLoader(Map.of(), warnings::add).load(root, Map.of());

        assertEquals(9191, config.port());
        assertEquals("0.0.0.0", config.host());
        assertEquals(500, config.maxQueueSize());
        assertEquals(List.of("console"), config.logHandlers());
        assertTrue(config.multiuser());
        assertEquals("auto", config.device(), "mps falls back to the default");
        assertTrue(config.tlsPaths(root).isEmpty(), "null certificate files: plain HTTP");
        Set<String> warned = new TreeSet<>();
        for (String warning : warnings) {
            assertTrue(warning.startsWith("Ignoring setting '"), warning);
            String key = warning.substring("Ignoring setting '".length()).split("[':]")[0];
            assertTrue(warned.add(key), "one warning per key: " + key);
        }
        Set<String> expected = new TreeSet<>();
        (UNUSED + INVOKEAI_ONLY_VALUES).lines().forEach(line -> expected.add(line.substring(0, line.indexOf(':'))));
        assertEquals(expected, warned);
        assertArrayEquals(before, Files.readAllBytes(file), "invokeai.yaml is only read");
    }
}
