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
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

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
#endif
