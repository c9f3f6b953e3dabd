package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.config.ConfigLoader;
import io.sparklstm.jobs.config.JobConfig;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** Options every job command takes. */
public final class CommonOptions {

    @Option(names = "--conf", paramLabel = "FILE",
            description = "HOCON configuration file (see conf/defaults.conf); repeatable, later files win "
                    + "(e.g. conf/env/standalone.conf, then a dataset).")
    List<File> conf = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key; repeatable. "
            + "VALUE is HOCON when it is a number, true/false, a [list], an {object} or \"quoted\" text "
            + "(e.g. --set 'input.delimiter=\"\\t\"'), plain text otherwise.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[2] or spark://host:7077 (default: spark-submit's, else spark.master).")
    String master;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    /** Loads and checks the configuration; fails before Spark starts. */
    public JobConfig load() {
        return JobConfig.from(ConfigLoader.loadAll(conf, overrides));
    }

    /** Loads a saved configuration (e.g. a run's config.conf), with this command line's overrides on top. */
    public JobConfig load(String origin, String hocon) {
        return JobConfig.from(ConfigLoader.load(origin, hocon, overrides));
    }
}
