/**
 * A minimal local Azure Key Vault keys service over https (create/get RSA keys, wrapKey/unwrapKey, the bearer
 * challenge), for tests of the journal's key-encryption key through the real {@code azure-security-keyvault-keys}
 * client. See {@link dev.continuity.emulator.keyvault.KeyVaultEmulator}.
 */
package dev.continuity.emulator.keyvault;
