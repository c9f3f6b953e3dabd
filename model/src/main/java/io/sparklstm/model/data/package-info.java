/**
 * Types shared by data preparation and training: the manifest of a prepared dataset and the normalizer
 * fitted on its training split. They live here because the model bundle carries them too. They use the root
 * package ({@code Task}, {@code InvalidSetting}) and nothing else of the module.
 */
package io.sparklstm.model.data;
