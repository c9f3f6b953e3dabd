package io.sparklstm.jobs.cli;

import io.sparklstm.jobs.registry.ModelLocation;
import io.sparklstm.model.ModelKeys;
import io.sparklstm.model.Task;
import io.sparklstm.model.TextSampler;
import io.sparklstm.model.bundle.ModelBundle;
import io.sparklstm.model.data.Preparation;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code sample}: text from a character language model, on this machine, without Spark. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = {"Generate text with a character language model (dataset kind text): read the prime, then "
                + "draw one character at a time. Prints the prime followed by the generated characters.",
                "No Spark: the bundle is read from any Hadoop filesystem and run here."})
final class SampleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Model bundle directory, or a training run directory (its model/ is used).")
    String model;

    @Option(names = "--prime", paramLabel = "TEXT", defaultValue = "\n",
            description = "Text to start from; every character must be in the model's vocabulary (default: a newline).")
    String prime;

    @Option(names = "--length", paramLabel = "N", defaultValue = "500",
            description = "Characters to generate after the prime (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0",
            description = "Below 1: likelier characters; above 1: more varied; 0: always the likeliest "
                    + "(default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() {
        if (length < 0) throw usage("--length " + length + " is invalid: expected 0 or more characters");
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw usage("--temperature " + temperature + " is invalid: expected a number >= 0");
        }
        if (prime.isEmpty()) throw usage("--prime is empty: give at least one character");
        ModelBundle bundle = ModelLocation.loadBundle(model, new Configuration());
        Preparation prep = bundle.info().preparation();
        if (prep.task() != Task.STEP_CLASSIFICATION) {
            throw usage("--model " + model + " is a " + prep.task().name().toLowerCase() + " model of a "
                    + prep.kind() + " dataset; sample needs a character language model (dataset.kind = text)");
        }
        if (bundle.ensemble().size() > 1) {
            throw usage("--model " + model + " is an ensemble of " + bundle.ensemble().size() + " networks ("
                    + ModelKeys.ENSEMBLE_MEMBERS.key() + "); sample draws from one network's step-by-step state: "
                    + "train the language model with " + ModelKeys.ENSEMBLE_MEMBERS.key() + " = 1");
        }
        String text;
        try {
            text = new TextSampler(bundle.network(), prep.classNames()).sample(prime, length, temperature, seed);
        } catch (IllegalArgumentException e) {
            throw usage("--prime: " + e.getMessage());
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.print(prime);
        out.println(text);
        out.flush();
        return ExitCodes.OK;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
