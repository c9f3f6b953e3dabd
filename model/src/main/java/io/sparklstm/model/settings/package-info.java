/**
 * Configuration settings declared once: each {@link io.sparklstm.model.settings.Setting} names its key, the type of
 * its value, its default, its documentation and its {@link io.sparklstm.model.settings.Validator}, in the manner of
 * Spark MLlib's {@code Param} with {@code ParamValidators}. A {@link io.sparklstm.model.settings.Section} lists the
 * settings of one section of the configuration; the records check their values with them, the configuration loader
 * reads them by type, a test holds {@code conf/defaults.conf} to them, and the key table of the documentation is
 * written from them; {@link io.sparklstm.model.settings.InvalidSetting} words the one "key = value is invalid"
 * message. Nothing here reads a configuration file (that is the jobs module's part), and nothing here uses another
 * package of the module: the model's records use these settings.
 */
package io.sparklstm.model.settings;
