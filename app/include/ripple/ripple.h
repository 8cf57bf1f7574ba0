/* Ripple: parallel, reproducible Monte Carlo of disruptions rippling through
 * supply networks.  This header includes the whole public API. */
#ifndef RIPPLE_H
#define RIPPLE_H

#include "ripple/bounds.h"
#include "ripple/compare.h"
#include "ripple/describe.h"
#include "ripple/dist.h"
#include "ripple/error.h"
#include "ripple/flow.h"
#include "ripple/generate.h"
#include "ripple/h5out.h"
#include "ripple/inspect.h"
#include "ripple/json.h"
#include "ripple/mc.h"
#include "ripple/metric.h"
#include "ripple/metrics.h"
#include "ripple/model.h"
#include "ripple/network.h"
#include "ripple/resources.h"
#include "ripple/rng.h"
#include "ripple/run.h"
#include "ripple/sc_memory.h"
#include "ripple/sc_output.h"
#include "ripple/scenario.h"
#include "ripple/stats.h"
#include "ripple/strategy.h"
#include "ripple/stress.h"
#include "ripple/strmap.h"
#include "ripple/threat.h"
#include "ripple/util.h"

#endif
