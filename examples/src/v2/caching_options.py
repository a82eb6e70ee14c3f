# Test fixture: caching options per task (task keys stamp, stamp-2, stamp-3; display names
# cached, uncached, keyed). `cached` keeps the compiler's default
# (enableCache: true), `uncached` has set_caching_options(False) (cachingOptions: {}), `keyed`
# has a custom cacheKey. Every task prints and returns "stamp: <text>"; run twice with the same
# inputs: the second run takes `cached` and `keyed` from the cache and runs `uncached` again.
from kfp import dsl

BUSYBOX = 'busybox:1.36'


@dsl.container_component
def stamp(text: str, out: dsl.OutputPath(str)):
    return dsl.ContainerSpec(image=BUSYBOX,
                             command=['sh', '-ec', 'printf "stamp: %s" "$1" > "$2"; cat "$2"',
                                      'stamp'],
                             args=[text, out])


@dsl.pipeline(name='caching-options')
def caching_options(text: str = 'same input'):
    stamp(text=text).set_display_name('cached')
    stamp(text=text).set_display_name('uncached').set_caching_options(False)
    stamp(text=text).set_display_name('keyed').set_caching_options(True,
                                                                   cache_key='kfrun-demo-key')


OUTPUTS = {'fixtures/kfp-v2/caching_options.yaml': (caching_options, {})}
