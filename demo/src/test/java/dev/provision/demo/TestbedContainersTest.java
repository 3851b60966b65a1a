package dev.provision.demo;

import dev.provision.cli.DemoContainers;
import dev.provision.testbed.TestImages;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class TestbedContainersTest {

    @Test
    void provisionJarFindsTheTestbedsContainersAsItsDemoContainers() {
        assertThat(ServiceLoader.load(DemoContainers.class).findFirst()).containsInstanceOf(TestbedContainers.class);
    }

    @Test
    void theDemoOffersTheSuitesTheTestbedHasImagesOf() {
        assertThat(DemoContainers.SUITES).containsExactlyElementsOf(TestImages.SUITES);
    }
}
