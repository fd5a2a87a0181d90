#ifndef COCREA_COPENSSL_SHIM_H
#define COCREA_COPENSSL_SHIM_H
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

// OpenSSL's stacks are typed through macros, which Swift does not import.
static inline STACK_OF(X509) *cocrea_certificate_stack(void) { return sk_X509_new_null(); }
static inline int cocrea_certificate_stack_push(STACK_OF(X509) *stack, X509 *certificate) { return sk_X509_push(stack, certificate); }
static inline void cocrea_certificate_stack_free(STACK_OF(X509) *stack) { sk_X509_pop_free(stack, X509_free); }
static inline int cocrea_certificate_stack_count(const STACK_OF(X509) *stack) { return sk_X509_num(stack); }
static inline X509 *cocrea_certificate_stack_at(const STACK_OF(X509) *stack, int index) { return sk_X509_value(stack, index); }
// A BIO's memory, which OpenSSL reaches through a macro over BIO_ctrl.
static inline long cocrea_bio_memory(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }
// The PBKDF2 iteration count of a PBES2-encrypted key, or -1 when it is encrypted otherwise: an
// untrusted key names its own cost, which must be known before any work is done for it.
static inline long cocrea_pbes2_iterations(const X509_SIG *key) {
    const X509_ALGOR *algorithm = NULL;
    X509_SIG_get0(key, &algorithm, NULL);
    if (algorithm == NULL || OBJ_obj2nid(algorithm->algorithm) != NID_pbes2) return -1;
    PBE2PARAM *scheme = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), algorithm->parameter);
    if (scheme == NULL) return -1;
    long iterations = -1;
    if (scheme->keyfunc != NULL && OBJ_obj2nid(scheme->keyfunc->algorithm) == NID_id_pbkdf2) {
        PBKDF2PARAM *derivation = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBKDF2PARAM), scheme->keyfunc->parameter);
        if (derivation != NULL) {
            iterations = ASN1_INTEGER_get(derivation->iter);
            PBKDF2PARAM_free(derivation);
        }
    }
    PBE2PARAM_free(scheme);
    return iterations;
}
// The one signer of a CMS SignedData, or NULL when it has none or several.
static inline CMS_SignerInfo *cocrea_cms_only_signer(CMS_ContentInfo *cms) {
    STACK_OF(CMS_SignerInfo) *signers = CMS_get0_SignerInfos(cms);
    return signers != NULL && sk_CMS_SignerInfo_num(signers) == 1 ? sk_CMS_SignerInfo_value(signers, 0) : NULL;
}
// The DER of the RFC 3161 token a signer carries as its unsigned signatureTimeStampToken attribute, or
// NULL: an attribute of type SEQUENCE holds its whole encoding, reached through a union Swift cannot.
static inline const ASN1_STRING *cocrea_signer_timestamp(CMS_SignerInfo *signer) {
    int index = CMS_unsigned_get_attr_by_NID(signer, NID_id_smime_aa_timeStampToken, -1);
    if (index < 0) return NULL;
    ASN1_TYPE *value = X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(signer, index), 0);
    return value != NULL && value->type == V_ASN1_SEQUENCE ? value->value.sequence : NULL;
}
// The certificate that signed a timestamp token, from the token itself (the request asks for it),
// with a reference of its own; NULL unless exactly one signer's certificate is there.
static inline X509 *cocrea_timestamp_signer(PKCS7 *token) {
    STACK_OF(X509) *signers = PKCS7_get0_signers(token, NULL, 0);
    if (signers == NULL) return NULL;
    X509 *signer = sk_X509_num(signers) == 1 ? sk_X509_value(signers, 0) : NULL;
    if (signer != NULL) X509_up_ref(signer);
    sk_X509_free(signers);
    return signer;
}
// A distinguished name on one line as RFC 2253 writes it, in UTF-8.
static inline int cocrea_name_print(BIO *bio, const X509_NAME *name) {
    return X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
}
// The first OCSP responder address of a certificate's Authority Information Access (id-ad-ocsp), a copy
// the caller frees with OPENSSL_free, or NULL when it names none.
static inline char *cocrea_ocsp_url(X509 *certificate) {
    STACK_OF(OPENSSL_STRING) *urls = X509_get1_ocsp(certificate);
    if (urls == NULL) return NULL;
    char *url = sk_OPENSSL_STRING_num(urls) > 0 ? OPENSSL_strdup(sk_OPENSSL_STRING_value(urls, 0)) : NULL;
    X509_email_free(urls);
    return url;
}
#endif
