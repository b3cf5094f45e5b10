# tests/gdb/objects.gdb: the ember commands on a VM stopped at a known point
# with known objects.  Ember boots with /bin/gdbscene (user/gdbscene.c) as
# its first process; we stop in sys_port_request, called from its main, when
# it holds one object of each kind, its server thread waits on an event and
# a datagram waits in the server end's queue.  The program's symbols load by
# themselves at the stop, so its globals name the handles.  Then the same
# commands on a corrupt list and a freed object must say what they could not
# read instead of failing.  scripts/test.py checks the lines after "check:".
set architecture i386:x86-64
set pagination off
set confirm off
file build/kernel.elf
source scripts/gdb/ember.py
target remote localhost:@PORT@
echo check: before-paging\n
ember ps
ember log
ember object 0xffff800000100000
ember vm 1
hbreak sys_port_request
continue
echo check: bt\n
bt
echo check: ps\n
ember ps
echo check: threads\n
ember threads
echo check: handles\n
ember handles 1
echo check: object-event\n
ember object event
echo check: object-never\n
ember object never
echo check: object-mutex\n
ember object mutex
echo check: object-semaphore\n
ember object semaphore
echo check: object-pipe\n
ember object ends[0]
echo check: object-by-id\n
ember object cpu_local.current->process->ob.id
echo check: waits\n
ember waits
echo check: ports\n
ember ports
echo check: vm\n
ember vm 1
echo check: log\n
ember log
echo check: printer\n
print *cpu_local.current->process
echo check: printer-thread\n
print *cpu_local.current
echo check: printer-handle\n
print cpu_local.current->process->handles.entries[1]
echo check: object-by-address\n
ember object &cpu_local.current->process->ob
echo check: freed-object\n
set var cpu_local.current->process->handles.entries[1].object->type = 0
ember handles 1
ember object never
echo check: corrupt-list\n
set var cpu_local.current->process->all_node.next = 0x1234
ember ps
ember threads
echo check: end\n
kill
