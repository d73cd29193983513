run_bench() {
	VERSION_PARAM=
	if [ "$TLBBENCH_VERSION" != "" ]; then
		VERSION_PARAM="-v $TLBBENCH_VERSION"
	fi

	$SHELLPACK_INCLUDE/shellpack-bench-tlbbench $VERSION_PARAM \
		--config $TLBBENCH_CONFIG
	return $?
}
