// RAII owners for OpenSSL objects and the conversion of OpenSSL's error queue
// into certmill Errors, shared by every file of core/pki.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "core/error.hpp"

namespace certmill::pki {

template <auto Free>
struct OsslDeleter {
  template <class T>
  void operator()(T* p) const noexcept {
    Free(p);
  }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, OsslDeleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OsslDeleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OsslDeleter<EVP_MD_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, OsslDeleter<X509_free>>;
using ReqPtr = std::unique_ptr<X509_REQ, OsslDeleter<X509_REQ_free>>;
using NamePtr = std::unique_ptr<X509_NAME, OsslDeleter<X509_NAME_free>>;
using BioPtr = std::unique_ptr<BIO, OsslDeleter<BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, OsslDeleter<BN_free>>;
using Asn1IntPtr = std::unique_ptr<ASN1_INTEGER, OsslDeleter<ASN1_INTEGER_free>>;
using OctetPtr = std::unique_ptr<ASN1_OCTET_STRING, OsslDeleter<ASN1_OCTET_STRING_free>>;
using BitStringPtr = std::unique_ptr<ASN1_BIT_STRING, OsslDeleter<ASN1_BIT_STRING_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OsslDeleter<GENERAL_NAMES_free>>;
using BasicConstraintsPtr = std::unique_ptr<BASIC_CONSTRAINTS, OsslDeleter<BASIC_CONSTRAINTS_free>>;
using AkidPtr = std::unique_ptr<AUTHORITY_KEYID, OsslDeleter<AUTHORITY_KEYID_free>>;
using Pkcs12Ptr = std::unique_ptr<PKCS12, OsslDeleter<PKCS12_free>>;
using Asn1ObjectPtr = std::unique_ptr<ASN1_OBJECT, OsslDeleter<ASN1_OBJECT_free>>;
using NameConstraintsPtr = std::unique_ptr<NAME_CONSTRAINTS, OsslDeleter<NAME_CONSTRAINTS_free>>;

struct X509StackDeleter {
  void operator()(STACK_OF(X509) * s) const noexcept { sk_X509_pop_free(s, X509_free); }
};
using X509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackDeleter>;

struct ExtensionStackDeleter {
  void operator()(STACK_OF(X509_EXTENSION) * s) const noexcept {
    sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free);
  }
};
using ExtensionStackPtr = std::unique_ptr<STACK_OF(X509_EXTENSION), ExtensionStackDeleter>;

// An Error whose message is `what`, followed by the reasons OpenSSL queued
// (the queue is emptied, so a later failure does not report stale reasons).
Error ossl_error(Errc code, std::string_view what);

// Clears reasons queued by an OpenSSL call whose failure was expected and
// handled (a probe), so they are not blamed on a later, unrelated call.
void ossl_clear_errors() noexcept;

// The bytes a memory BIO holds.
std::string bio_contents(BIO* bio);

}  // namespace certmill::pki
