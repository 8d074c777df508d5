from __future__ import annotations


def test_an_image_pull_error_says_what_the_registry_answered():
    from functions._platform.domains.kubernetes.analyzers.image_pull import registry_says

    image = "ghcr.io/acme-shop/cart:2.5.0-rc1"
    message = (f'Failed to pull image "{image}": rpc error: code = NotFound desc = failed to pull and unpack image '
               f'"{image}": failed to resolve reference "{image}": {image}: not found')
    assert registry_says(["Back-off pulling image", message]) == f"{image}: not found"
    assert registry_says(['Back-off pulling image "x"']) is None
