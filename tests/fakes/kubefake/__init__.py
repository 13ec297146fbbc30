"""kubefake: a small, faithful fake of kube-apiserver for irsa's tests.

Entry point: tests/fakes/kube_apiserver.py. One module per job: server (HTTP/TLS),
app (request pipeline), requestinfo, auth, eks_token, rbac, api (REST verbs),
reviews (TokenRequest and self reviews), store, selection, patch, table,
protobuf, validation, defaults, controllers, discovery, jwt, pki, faults, admin,
config, errors.
"""
