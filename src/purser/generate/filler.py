"""Words that never change what is built: articles, pronouns, politeness, the verbs of
asking ("deploy", "spin up", "expose"), and adjectives every intent uses. Left over after
the vocabulary is read, they are ignored; any other word left over is named in a refusal."""

from __future__ import annotations

_ARTICLES_AND_LINKS = (
    "a an the and or but nor with without using use uses used via on in into onto to of for "
    "from by at as be is are was were been being it its it's this that these those which who "
    "whom whose what there here then than so also plus both all any only just very too either "
    "through across between after before while when where whenever whereas if up down out "
    "off over above under below within upon per each every about around roughly "
    "approximately some most more less least max maximum "
)
_PEOPLE_AND_POLITENESS = (
    "we our ours us i i'm i'd i'll i've d ll ve re m s my me mine you your yours they them "
    "their he she "
    "please pls kindly thanks thank hi hello hey let let's lets can could would will shall "
    "should must may might need needs needed want wants wanted like ideally probably "
    "maybe also ok okay sure"
)
_VERBS_OF_ASKING = (
    "make makes create creates creating build builds building deploy deploys deploying "
    "deployed set sets setting provision provisions provisioning provisioned spin spinning "
    "stand standing launch launches launching ship ships shipping roll rolling bring get "
    "give gives put add adds adding have has having do does run runs running host hosts "
    "hosted hosting serve serves serving served expose exposes exposing exposed publish "
    "publishes export exports exporting exported dump dumps push pushes pushing send sends "
    "sending move moves moving copy copies copying sync syncs syncing load loads loading "
    "pull pulls fetch fetches receive receives receiving accept accepts accepting take "
    "takes handle handles handling process processes processing processed store stores "
    "storing stored save saves saving keep keeps kept write writes writing read reads "
    "reading compute computes generate generates generating produce produces transform "
    "transforms transforming clean cleans cleanup compact compacts aggregate aggregates "
    "replicate replicates trigger triggers triggered called invoke invokes invoked power "
    "powers powering support supports supporting expect expected expecting goes go going "
    "talk talks reach poll polls polling check checks checking scan scans scanning call "
    "calls calling notify notifies backed driven import imports rotate rotates resize "
    "resizes transcode transcodes validate validates enrich enriches score scores classify "
    "classifies summarise summarises summarize summarizes render renders reconcile "
    "reconciles purge purges prune prunes refresh refreshes rebuild rebuilds"
)
_EVERYDAY_ADJECTIVES = (
    "new simple small tiny basic minimal lightweight secure securely safe private managed "
    "fully serverless cloud aws amazon dedicated single another standard regular quick "
    "quickly fast good well reliable robust scalable resilient production-grade "
    "enterprise-grade modern internal external customer-facing user-facing"
)
_WORKLOAD_NOUNS = (
    "application applications app apps service services system systems infrastructure stack "
    "platform solution workload workloads project thing something code iac terraform "
    "manifests setup month monthly year budget cost costs costing spend spending traffic "
    "load peak average storage data events requests request message messages region regions "
    "located based near close target behind eu one two three "
    "everything stuff environment env compliant compliance sla"
)

#: Verbs that say what a job does, so may open its purpose ("to aggregate metrics").
_ACTIVITY_WORDS = (
    "clean cleans cleanup aggregate aggregates compact compacts process processes rotate "
    "rotates resize resizes transcode transcodes generate generates send sends sync syncs "
    "export exports import imports index indexes scan scans check checks poll polls notify "
    "notifies validate validates enrich enriches score scores classify classifies summarise "
    "summarises summarize summarizes render renders reconcile reconciles purge purges prune "
    "prunes refresh refreshes rebuild rebuilds archive archives")
ACTIVITIES = frozenset(_ACTIVITY_WORDS.split())
FILLER = frozenset((_ARTICLES_AND_LINKS + _PEOPLE_AND_POLITENESS + " " + _VERBS_OF_ASKING
                    + " " + _EVERYDAY_ADJECTIVES + " " + _WORKLOAD_NOUNS).split())
