/** Starting Spark the way this job needs it, in local mode, under spark-submit, or on a cluster. */
package io.sparklstm.jobs.spark;
