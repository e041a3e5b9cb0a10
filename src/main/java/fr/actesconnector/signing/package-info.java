/**
 * Detached CMS (CAdES-BES) signatures of the acte's files: PKCS#12 key material, certificate checks,
 * streaming signing and verification. Everything here is verifiable by {@code openssl cms -verify}.
 * Imports only {@code model} and BouncyCastle.
 */
package fr.actesconnector.signing;
