/**
 * The directories commands write, on any Hadoop filesystem: checked before any work (never a directory that
 * holds the command's input, never one the tool did not write, always one that can be written), written beside
 * the output they replace, and marked complete last ({@link io.sparklstm.prep.output.OutputMarker}), so the
 * old output stays whole until the new one is complete; and the single files readers look for
 * ({@link io.sparklstm.prep.output.PreparedOutput}), replaced in one rename.
 *
 * <p>Uses nothing of data-prep but itself (and the model's JSON mapper), so that the root package and the jobs can
 * build on it.
 */
package io.sparklstm.prep.output;
