// Codec of ObjectHeader: the metadata of any object, for reporting on objects
// whose body does not decode.
#include "core/api/schema/meta.hpp"

template certmill::Result<certmill::api::ObjectHeader>
    certmill::api::decode<certmill::api::ObjectHeader>(std::string_view);
template std::string certmill::api::encode<certmill::api::ObjectHeader>(
    const certmill::api::ObjectHeader&);
