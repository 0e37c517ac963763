"""Hostile .pfx files: genuine ones with high iteration counts, and crafted ones.

asn1crypto edits the structure (the counts are plain integers in it); the
encrypted parts are made with cryptography's PBKDF2 and AES, as OpenSSL does.
"""
from __future__ import annotations

import os
import subprocess  # nosec B404
from pathlib import Path

from asn1crypto import algos, cms, core, pkcs12 as asn1_pkcs12
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.hazmat.primitives.serialization import Encoding, PrivateFormat, pkcs12
from cryptography.hazmat.primitives.serialization.pkcs12 import PBES

from tests.certfactory import Issued, key_pem, to_pem

MAX_INT32 = 2**31 - 1


def openssl_pfx(folder: Path, leaf: Issued, password: str, iterations: int) -> bytes:
    """``openssl pkcs12 -export -iter N``, as an admin would run it: MAC, certificates and key at N iterations."""
    (folder / "leaf.pem").write_bytes(to_pem(leaf.cert))
    (folder / "key.pem").write_bytes(key_pem(leaf.key))
    out = folder / f"{iterations}.pfx"
    subprocess.run(["openssl", "pkcs12", "-export", "-in", folder / "leaf.pem", "-inkey", folder / "key.pem",  # nosec B603 B607
                    "-passout", f"pass:{password}", "-iter", str(iterations), "-out", out], check=True)
    return out.read_bytes()


def genuine_pfx(leaf: Issued, password: str, iterations: int) -> bytes:
    """cryptography's export: certificates and key at ``iterations``, the MAC at its default 2,048."""
    encryption = (PrivateFormat.PKCS12.encryption_builder().kdf_rounds(iterations)
                  .key_cert_algorithm(PBES.PBESv2SHA256AndAES256CBC).hmac_hash(hashes.SHA256())
                  .build(password.encode()))
    return pkcs12.serialize_key_and_certificates(b"server", leaf.key, leaf.cert, None, encryption)


def with_mac_iterations(pfx: bytes, iterations: int) -> bytes:
    """``pfx`` with its MAC's iteration count replaced: no password is needed to make it."""
    parsed = asn1_pkcs12.Pfx.load(pfx)
    mac = parsed["mac_data"]
    parsed["mac_data"] = asn1_pkcs12.MacData({
        "mac": mac["mac"], "mac_salt": mac["mac_salt"], "iterations": iterations})
    return parsed.dump(force=True)


def _pbes2(password: bytes, iterations: int, plaintext: bytes) -> tuple[algos.EncryptionAlgorithm, bytes]:
    salt, iv = os.urandom(16), os.urandom(16)
    key = PBKDF2HMAC(hashes.SHA256(), 32, salt, iterations).derive(password)
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padder.update(plaintext) + padder.finalize()) + encryptor.finalize()
    algorithm = algos.EncryptionAlgorithm({"algorithm": "pbes2", "parameters": {
        "key_derivation_func": {"algorithm": "pbkdf2", "parameters": {
            "salt": algos.Pbkdf2Salt(name="specified", value=salt), "iteration_count": iterations, "prf": {"algorithm": "sha256"}}},
        "encryption_scheme": {"algorithm": "aes256_cbc", "parameters": iv}}})
    return algorithm, ciphertext


def hidden_costly_key(leaf: Issued, password: str, hidden_iterations: int = MAX_INT32) -> bytes:
    """A .pfx whose only visible count is small: its encrypted part holds a key bag at ``hidden_iterations``.

    The key bag's count shows only after decrypting with the password, so no
    reading of the structure can refuse it beforehand.
    """
    genuine = asn1_pkcs12.Pfx.load(genuine_pfx(leaf, password, 1000))
    bags = []
    for info in genuine.authenticated_safe:
        if info["content_type"].native == "data":
            for bag in asn1_pkcs12.SafeContents.load(info["content"].native):
                encrypted_key = bag["bag_value"]
                parameters = encrypted_key["encryption_algorithm"]["parameters"]
                parameters["key_derivation_func"]["parameters"]["iteration_count"] = hidden_iterations
                bags.append(asn1_pkcs12.SafeBag({
                    "bag_id": "pkcs8_shrouded_key_bag", "bag_value": encrypted_key, "bag_attributes": []}))
    bags.append(asn1_pkcs12.SafeBag({"bag_id": "cert_bag", "bag_value": asn1_pkcs12.CertBag({
        "cert_id": "x509", "cert_value": core.ParsableOctetString(leaf.cert.public_bytes(Encoding.DER))})}))
    algorithm, ciphertext = _pbes2(password.encode(), 1000, asn1_pkcs12.SafeContents(bags).dump(force=True))
    encrypted = cms.ContentInfo({"content_type": "encrypted_data", "content": cms.EncryptedData({
        "version": "v0", "encrypted_content_info": {
            "content_type": "data", "content_encryption_algorithm": algorithm, "encrypted_content": ciphertext}})})
    safe = asn1_pkcs12.AuthenticatedSafe([encrypted])
    return asn1_pkcs12.Pfx({"version": "v3", "auth_safe": {
        "content_type": "data", "content": core.OctetString(safe.dump(force=True))}}).dump(force=True)
