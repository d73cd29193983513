WIS_WORKLOADS="tlb_flush1,tlb_flush2,tlb_flush3"
. $SHELLPACK_TOPLEVEL/drivers/driver-wis-common.sh
